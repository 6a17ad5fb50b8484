package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/marks/markread"
	"github.com/omsd/omsd/pdf"
	"github.com/omsd/omsd/postage"
)

// markedWorkflow is the planned workflow with marks from the YAML of a
// marks section, as the configuration prepares it.
func markedWorkflow(t *testing.T, marksYAML string) config.Workflow {
	t.Helper()
	c, err := config.Parse([]byte("version: 1\nstate_dir: " + t.TempDir() + "\nprinters:\n  - {name: f, driver: file, file: {dir: o}}\nworkflows:\n  - name: w\n    printer: f\n    marks: " + marksYAML + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := c.Workflow("w")
	wf := plannedWorkflow(t)
	wf.Marks = m.Marks
	return wf
}

// fullPlan plans pieces again, keeping the envelopes in the plan.
func fullPlan(t *testing.T, wf config.Workflow, pieces []mailpiece.Piece) *postage.Plan {
	t.Helper()
	in := make([]postage.Piece, len(pieces))
	for i, p := range pieces {
		in[i] = postage.Piece{Seq: p.Seq, Pages: p.Pages, Sheets: p.Sheets, Meta: p.Meta}
	}
	plan, err := postage.Make(in, *wf.Postage)
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

func TestPrepareDrawsMarks(t *testing.T) {
	in, side, _ := plannedRun(t, 40)
	wf := markedWorkflow(t, "{profile: pb-omr}")
	r, err := PrepareJob(wf, Job{ID: "77"}, in, side, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	p := wf.Marks.Loaded()
	full := fullPlan(t, wf, r.Pieces) // r.Plan leaves the envelopes to the placements
	for _, out := range r.Outputs {
		var pieces []mailpiece.Piece
		sheets := 0
		for _, seq := range r.Plan.Outputs[out.Name] {
			pieces = append(pieces, r.Pieces[seq-1])
			sheets += r.Pieces[seq-1].Sheets
		}
		planned, err := marks.FromPlan(full, out.Name, pieces)
		if err != nil {
			t.Fatal(err)
		}
		if got := EnvelopesOf(pieces); fmt.Sprint(got) != fmt.Sprint(planned) {
			t.Errorf("output %s: envelopes from the placements %v, the plan's %v", out.Name, got, planned)
		}
		doc, err := pdf.Open(out.Path)
		if err != nil || doc.PageCount() != 2*sheets {
			t.Fatalf("output %s: %v, %d pages for %d duplex sheets (blank backs included)", out.Name, err, doc.PageCount(), sheets)
		}
		checkCollated(t, out.Path, p, planned)
	}
	if len(r.Outputs) != 2 || len(r.Outputs[0].Warnings)+len(r.Outputs[1].Warnings) != 0 {
		t.Errorf("outputs %+v: want two, without warnings", r.Outputs)
	}
}

// checkCollated reads the OMR codes of the fronts of a duplex output and
// checks that they collate the planned envelopes.
func checkCollated(t *testing.T, path string, p *marks.Profile, planned []marks.EnvelopeSheets) {
	t.Helper()
	cam := markread.Camera{Profile: p}
	views, err := cam.Views(&marks.SheetMarks{})
	if err != nil {
		t.Fatal(err)
	}
	pages, err := cam.RenderViews(path, views)
	if err != nil {
		t.Fatal(err)
	}
	var fronts [][]markread.Image
	for i := 0; i < len(pages); i += 2 {
		fronts = append(fronts, pages[i])
	}
	reads, err := cam.Read(fronts)
	if err != nil {
		t.Fatal(err)
	}
	codes := make([]markread.Code, len(reads))
	for i, rd := range reads {
		if rd.Err != nil || !rd.OMR.ParityOK {
			t.Fatalf("sheet %d: %+v", i+1, rd)
		}
		codes[i] = *rd.OMR
	}
	envs, err := markread.Collate(codes)
	if err != nil || len(envs) != len(planned) {
		t.Fatalf("%s: %d envelopes collated (%v), the plan has %d", path, len(envs), err, len(planned))
	}
	for k, e := range planned {
		n := 0
		for _, pc := range e.Pieces {
			n += pc.Sheets
		}
		if len(envs[k]) != n {
			t.Errorf("envelope %d: %d sheets collated, want %d", e.ID, len(envs[k]), n)
		}
	}
	if err := markread.CheckSequence(p, codes); err != nil {
		t.Error(err)
	}
}

func TestMarksZoneWarning(t *testing.T) {
	in, side, _ := plannedRun(t, 6)
	dir := t.TempDir()
	prof := filepath.Join(dir, "wide.yaml")
	err := os.WriteFile(prof, []byte(`name: wide
omr: {corner: top-left, edge: 8mm, start: 100mm, pitch: 4mm, length: 15mm, thickness: 0.5mm,
  clear: {side: 8mm, before: 100mm, after: 150mm}, positions: [BM, EOC, SAF]}
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	wf := markedWorkflow(t, "{profile: "+prof+"}")
	r, err := Prepare(wf, in, side, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	w := r.Outputs[0].Warnings
	if len(w) != 1 || !strings.Contains(w[0], "inside the omr zone of profile wide on input pages") {
		t.Errorf("warnings %q, want content inside the omr zone", w)
	}
}
