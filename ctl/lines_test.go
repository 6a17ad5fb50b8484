package ctl

import (
	"strings"
	"testing"

	"github.com/omsd/omsd/api"
)

func TestLinesTable(t *testing.T) {
	sock, _ := serve(t)
	out, _, err := omsctl(t, sock, "lines")
	if err != nil || !strings.Contains(out, "line L1: manifests line/in (jaf)") || !strings.Contains(out, "inv.pdf") ||
		!strings.Contains(out, "quarantined b.jrf: line 2: job 9 is not known") {
		t.Errorf("lines: %v\n%s", err, out)
	}
	out, _, err = omsctl(t, sock, "lines", "--json")
	var got []api.Line
	decode(t, out, &got)
	if err != nil || len(got) != 1 || len(got[0].Runs) != 1 || got[0].Runs[0].Job != 1 {
		t.Errorf("lines --json: %v %+v", err, got)
	}
}
