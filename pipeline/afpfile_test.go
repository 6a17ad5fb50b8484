package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omsd/omsd/afp"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/internal/afptest"
)

func writeAFPRun(t *testing.T, pages int) (string, afptest.GroundTruth) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "run.afp")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	truth, err := afptest.Write(f, afptest.Options{Pages: pages, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path, truth
}

func afpWorkflow() config.Workflow {
	return config.Workflow{Name: "afp", Format: "afp", Pieces: config.Pieces{Method: "auto"},
		SortBy: []string{"postal_code"}, AFP: config.AFP{Fields: map[string]string{"POSTCODE": "postal_code"}}}
}

// TestAFPPrepare indexes a generated AFP mail run, sorts it by postal code
// and checks the output parses back to the same pieces in the new order.
func TestAFPPrepare(t *testing.T) {
	in, truth := writeAFPRun(t, 300)
	wf := afpWorkflow()
	r, err := Prepare(wf, in, "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Pieces) != len(truth.Pieces) || r.Pages != truth.Pages || r.Sheets != truth.Sheets || r.Method != "pagegroups" {
		t.Fatalf("analysis: %d pieces, %d pages, %d sheets by %s; want %d, %d, %d", len(r.Pieces), r.Pages, r.Sheets, r.Method,
			len(truth.Pieces), truth.Pages, truth.Sheets)
	}
	for i, p := range r.Pieces {
		tp := truth.Pieces[i]
		if p.Name != tp.Name || p.Pages != tp.Pages || p.Sheets != tp.Sheets || p.Meta.Get("postal_code") != tp.Value("POSTCODE") || p.Meta.Get("ACCOUNT") != tp.Value("ACCOUNT") {
			t.Fatalf("piece %d = %+v; want %+v", i+1, p, tp)
		}
	}
	out := r.Outputs[0]
	if out.Format != "application/vnd.ibm.modcap" || filepath.Ext(out.Path) != ".afp" {
		t.Errorf("output = %+v", out)
	}
	f, err := os.Open(out.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	idx, err := afp.BuildIndex(f, afp.IndexOptions{})
	if err != nil {
		t.Fatalf("the output does not parse: %v", err)
	}
	want := Order(r.Pieces, wf.SortBy)
	if len(idx.Pieces) != len(want) {
		t.Fatalf("output has %d pieces; want %d", len(idx.Pieces), len(want))
	}
	for i, p := range idx.Pieces {
		if p.Name != want[i].Name || int(p.Sheets) != want[i].Sheets {
			t.Fatalf("output piece %d is %s (%d sheets); want %s (%d)", i+1, p.Name, p.Sheets, want[i].Name, want[i].Sheets)
		}
	}
}

func TestAFPBadInput(t *testing.T) {
	in, _ := writeAFPRun(t, 20)
	data, _ := os.ReadFile(in)
	dir := t.TempDir()
	for name, b := range map[string][]byte{"empty": nil, "truncated": data[:len(data)/2], "garbage": []byte("hello world")} {
		path := filepath.Join(dir, name)
		os.WriteFile(path, b, 0o644)
		_, err := Open(path, afpWorkflow())
		if !errors.Is(err, ErrBadInput) || Reason(err) != "document-format-error" {
			t.Errorf("%s: %v (reason %s)", name, err, Reason(err))
		}
	}
	// A fixed page count that would cut the run's page groups is refused
	// with the offset where it would.
	wf := afpWorkflow()
	wf.Pieces = config.Pieces{Method: "fixed", PagesPerPiece: 3}
	if _, err := Open(in, wf); !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "offset") {
		t.Errorf("fixed pages across page groups: %v", err)
	}
}

// TestAFPMarksNUp draws marks on an AFP run whose pieces print simplex,
// duplex and 2-up duplex: every sheet gets one mark object, on the first
// page of its front, and the output keeps every page.
func TestAFPMarksNUp(t *testing.T) {
	in, truth := writeAFPRun(t, 300)
	wf := afpWorkflow()
	wf.Marks = markedWorkflow(t, "{profile: pb-omr, sides: front}").Marks
	r, err := Prepare(wf, in, "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(r.Outputs[0].Path)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := afp.BuildIndex(strings.NewReader(string(b)), afp.IndexOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if idx.Pages != truth.Pages || idx.Sheets != truth.Sheets {
		t.Fatalf("output: %d pages, %d sheets; want %d, %d", idx.Pages, idx.Sheets, truth.Pages, truth.Sheets)
	}
	objects := 0
	rd := afp.NewReader(strings.NewReader(string(b)))
	for {
		f, err := rd.Next()
		if err != nil {
			break
		}
		if f.ID == 0xD3A89B { // BPT: the generator writes one a page, the marks one a marked side
			objects++
		}
	}
	if objects -= truth.Pages; objects != truth.Sheets {
		t.Errorf("%d mark objects in the output, want one per sheet: %d", objects, truth.Sheets)
	}
}
