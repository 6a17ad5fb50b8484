package pipeline

import (
	"strings"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/mailpiece"
)

// routeByIndex routes piece seq by seq%5: 0 email, 1 portal, 2 suppress,
// 3 email+print, 4 print.
func routeByIndex(p mailpiece.Piece) string {
	return []string{"email", "portal", "suppress", "email+print", "print"}[p.Seq%5]
}

func TestPiecesLeavingThePrintRunLeaveThePlan(t *testing.T) {
	in, side, _ := plannedRun(t, 60)
	wf := plannedWorkflow(t)
	r, err := PrepareJob(wf, Job{ID: "7", Route: routeByIndex}, in, side, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	printed := map[int]bool{}
	for _, p := range r.Pieces {
		if p.Printed() {
			printed[p.Seq] = true
		}
	}
	if len(printed) != 24 {
		t.Fatalf("%d pieces printed; want 24 (print and email+print)", len(printed))
	}
	planned := r.Plan.Order
	if len(planned) != len(printed) {
		t.Errorf("the plan holds %d pieces; want the %d printed", len(planned), len(printed))
	}
	for _, seq := range planned {
		if !printed[seq] {
			t.Errorf("piece %d (channel %s) is planned", seq, r.Pieces[seq-1].Channel)
		}
	}
	for _, p := range r.Pieces {
		if !p.Printed() && p.Placement != nil {
			t.Errorf("piece %d (channel %s) has a placement", p.Seq, p.Channel)
		}
	}
	pages := 0
	for _, out := range r.Outputs {
		pages += len(pdftest.PageTexts(t, out.Path))
		for _, text := range pdftest.PageTexts(t, out.Path) {
			for seq := range r.Pieces {
				if !printed[seq+1] && strings.HasPrefix(text, pdftest.PageText(seq, 0)) {
					t.Errorf("output %s prints piece %d (channel %s)", out.Name, seq+1, r.Pieces[seq].Channel)
				}
			}
		}
	}
	rep := r.Plan.Report
	if rep.After.Pieces != 24 {
		t.Errorf("the report costs %d pieces; want 24", rep.After.Pieces)
	}
	d := rep.Digital
	if d == nil || d.Pieces != 24 || d.ByChannel["email"] != 12 || d.ByChannel["portal"] != 12 {
		t.Fatalf("digital report %+v; want 12 e-mailed and 12 portal pieces (suppressed and email+print not counted)", d)
	}
	all, err := PrepareJob(wf, Job{ID: "7", Route: func(mailpiece.Piece) string { return "print" }}, in, side, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	noSuppressed, err := PrepareJob(wf, Job{ID: "7", Route: func(p mailpiece.Piece) string {
		if p.Seq%5 == 2 {
			return "suppress"
		}
		return "print"
	}}, in, side, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	want := noSuppressed.Plan.Report.After.Postage - rep.After.Postage
	if d.PostageSaved != want || d.PostageSaved <= 0 {
		t.Errorf("postage saved %s; want %s (all printed but the suppressed %s, routed %s; all %s)",
			d.PostageSaved, want, noSuppressed.Plan.Report.After.Postage, rep.After.Postage, all.Plan.Report.After.Postage)
	}
	var text strings.Builder
	rep.WriteText(&text)
	if !strings.Contains(text.String(), "digital delivery: 24 pieces left the print run (email 12, portal 12), postage saved "+d.PostageSaved.String()) {
		t.Errorf("the report text does not show the saving:\n%s", text.String())
	}
}

func TestEveryPieceDigitalLeavesNoOutput(t *testing.T) {
	in, side, _ := plannedRun(t, 6)
	for _, planned := range []bool{false, true} {
		wf := plannedWorkflow(t)
		if !planned {
			wf.Postage = nil
		}
		r, err := PrepareJob(wf, Job{ID: "7", Route: func(mailpiece.Piece) string { return "email" }}, in, side, t.TempDir())
		if err != nil {
			t.Fatalf("planned %v: %v", planned, err)
		}
		if len(r.Outputs) != 0 || len(r.Pieces) != 6 || r.Sheets != 0 {
			t.Errorf("planned %v: outputs %d, pieces %d, sheets %d; want no output, 6 pieces, 0 sheets", planned, len(r.Outputs), len(r.Pieces), r.Sheets)
		}
	}
}
