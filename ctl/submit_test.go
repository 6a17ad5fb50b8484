package ctl

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/localapi"
	"github.com/omsd/omsd/localapi/localapitest"
)

// TestSubmitTooLarge: a file over the daemon's upload limit is refused
// before it is sent, nothing is created, and omsctl says what to do.
func TestSubmitTooLarge(t *testing.T) {
	b := localapitest.New()
	sock := localapitest.ServeWith(t, b, localapi.WithMaxUpload(64<<10))
	before, _ := b.Jobs(context.Background(), api.JobQuery{})
	file := filepath.Join(t.TempDir(), "big.pdf")
	if err := os.WriteFile(file, make([]byte, 8<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := omsctl(t, sock, "submit", file)
	if !errors.Is(err, api.ErrTooLarge) {
		t.Fatalf("err = %v, want api.ErrTooLarge", err)
	}
	for _, want := range []string{"64 KiB (api.max_upload)", "raise api.max_upload", "hot folder"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if after, _ := b.Jobs(context.Background(), api.JobQuery{}); len(after) != len(before) {
		t.Errorf("jobs after a refused submit: %d, before %d", len(after), len(before))
	}
	small := filepath.Join(t.TempDir(), "small.pdf")
	if err := os.WriteFile(small, make([]byte, 64<<10), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, _, err := omsctl(t, sock, "submit", small); err != nil || !strings.HasPrefix(out, "job ") {
		t.Errorf("submit at the limit: %q, %v", out, err)
	}
}
