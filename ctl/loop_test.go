package ctl

import (
	"errors"
	"strings"
	"testing"

	"github.com/omsd/omsd/api"
)

func TestTrack(t *testing.T) {
	sock, _ := serve(t)
	out, _, err := omsctl(t, sock, "track", "1/1")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"job 1 piece 1: inserted", "printed", "lp1", "inserted  0    0    L1     op"} {
		if !strings.Contains(out, want) {
			t.Errorf("track lacks %q:\n%s", want, out)
		}
	}
	out, _, err = omsctl(t, sock, "track", "1/1", "--json")
	var tr api.Track
	decode(t, out, &tr)
	if err != nil || len(tr.Events) != 3 || tr.Events[2].Line != "L1" {
		t.Fatalf("track --json: %+v, %v", tr, err)
	}
	if _, _, err := omsctl(t, sock, "track", "1/2"); !errors.Is(err, api.ErrNotFound) {
		t.Errorf("unknown piece: %v", err)
	}
	if _, _, err := omsctl(t, sock, "track", "1"); err == nil || !strings.Contains(err.Error(), "JOB/PIECE") {
		t.Errorf("no piece: %v", err)
	}
}

func TestJobReport(t *testing.T) {
	sock, _ := serve(t)
	out, _, err := omsctl(t, sock, "job", "report", "1")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"loop open", "pieces            2   1", "status: inserted 1, open 1", "unaccounted: 1 (2)",
		"ALARM: piece 1 inserted 2 times (last on L1, a.jrf)\n  acknowledged by alice at ", ": second envelope pulled",
		"ALARM: piece 2 inserted 2 times (last on L1, b.jrf) (open: omsctl job ack)", "REPRINT PRODUCT", "postage total (run and reprints): 2.85",
		"3            1           2       2       1          0.95     completed"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	out, _, _ = omsctl(t, sock, "job", "report", "1", "--json")
	var r api.JobReport
	decode(t, out, &r)
	if r.PiecesIn != 2 || r.PiecesOut != 1 || len(r.Unaccounted) != 1 || len(r.Incidents) != 2 || r.Incidents[0].Acknowledged.By != "alice" || r.PostageTotal != "2.85" {
		t.Errorf("report --json: %+v", r)
	}
}

func TestReprint(t *testing.T) {
	sock, _ := serve(t)
	out, _, err := omsctl(t, sock, "reprint", "1", "--pieces", "5,7-9", "--to", "lp2")
	if err != nil || !strings.Contains(out, "reprint job 3 (pending) of 4 pieces on lp2") {
		t.Fatalf("reprint: %v\n%s", err, out)
	}
	if _, _, err := omsctl(t, sock, "reprint", "1"); !errors.Is(err, api.ErrConflict) {
		t.Errorf("nothing to reprint: %v", err)
	}
	if _, _, err := omsctl(t, sock, "reprint", "9", "--pieces", "1"); !errors.Is(err, api.ErrNotFound) {
		t.Errorf("unknown job: %v", err)
	}
}

// TestJobReportWithoutLine: the text of a print-only run's close-out says
// it has no inserting line and lists the pieces not printed.
func TestJobReportWithoutLine(t *testing.T) {
	var b strings.Builder
	printReport(&b, api.JobReport{Job: 4, Name: "a.pdf", State: "completed", Loop: "none", NoLine: true,
		PiecesIn: 300, PiecesOut: 300, PiecesPrinted: 300, Status: map[string]int{"printed": 300}, Unaccounted: []int{}})
	out := b.String()
	for _, want := range []string{"no inserting line", "pieces            300  300", "not printed: 0"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "unaccounted") || strings.Contains(out, "loop none") {
		t.Errorf("a print-only report speaks of a loop:\n%s", out)
	}
}

// TestPlanReprints: omsctl plan lists the postage of the run's reprints
// after its plan, text and --json.
func TestPlanReprints(t *testing.T) {
	sock, _ := serve(t)
	out, _, err := omsctl(t, sock, "plan", "1")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"reprints (postage planned afresh for their envelopes):", "REPRINT JOB", "3            1           2       1          Standardbrief  0.95"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan lacks %q:\n%s", want, out)
		}
	}
	out, _, _ = omsctl(t, sock, "plan", "1", "--json")
	var p api.Plan
	decode(t, out, &p)
	if len(p.Reprints) != 1 || p.Reprints[0].Total != "0.95" || len(p.Reprints[0].Pieces) != 2 {
		t.Errorf("plan --json reprints %+v", p.Reprints)
	}
	if !strings.Contains(out, `"reprints"`) || !strings.Contains(out, `"carrier"`) {
		t.Errorf("plan --json is not the report with reprints beside its keys:\n%s", out)
	}
}
