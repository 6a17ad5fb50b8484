package ctl

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/localapi/localapitest"
)

func TestPreview(t *testing.T) {
	sock, _ := serve(t)
	png := filepath.Join(t.TempDir(), "p.png")
	out, _, err := omsctl(t, sock, "preview", "1", "--piece", "1", "-o", png)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(png); !bytes.Equal(b, localapitest.OnePixelPNG) {
		t.Errorf("the PNG written is not the daemon's")
	}
	for _, want := range []string{"job 1 piece 1: 1 sheets in output.pdf, profile pb-omr; image " + png, "SHEET", "111"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, _, err = omsctl(t, sock, "preview", "1", "--piece=1", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var p api.Preview
	decode(t, out, &p)
	if len(p.Sheets) != 1 || p.Sheets[0].OMR != "111" || p.PNG != nil {
		t.Errorf("--json: %+v, want the sheets without the image", p)
	}
	if _, _, err := omsctl(t, sock, "preview", "1"); err == nil || !strings.Contains(err.Error(), "--piece N is required") {
		t.Errorf("no --piece: %v", err)
	}
	if _, _, err := omsctl(t, sock, "preview", "1", "--piece", "4"); err == nil || !strings.Contains(err.Error(), "no piece 4") {
		t.Errorf("missing piece: %v", err)
	}
}
