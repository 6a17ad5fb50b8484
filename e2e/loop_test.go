package e2e

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/records"
)

const loopConfig = `version: 1
printers:
  - {name: out, driver: file, file: {dir: out}}
lines:
  - {name: L1, manifest_dir: line/in, result_dir: line/results, scan_interval: 100ms}
workflows:
  - name: mail
    printer: out
    line: L1
    pieces: {method: sidecar}
    reprint: {mode: auto, cap: 10%}
    marks: {profile: datamatrix-fbp}
    postage:
      carrier: deutschepost
      paper: {gsm: 80, width_mm: 210, height_mm: 297}
      envelopes:
        - {name: C6/5, max_sheets: 4, weight_g: 5.0, format: standard}
        - {name: C4, max_sheets: 100, weight_g: 13, format: gross}
      presort: {enabled: true, origin: "04109"}
      fields: {postal_code: zip, country: country}
      default_output: main
hot_folders:
  - {dir: hot/mail, workflow: mail, scan_interval: 100ms}
`

// mailRun returns an n-piece PDF of one or two pages a piece and its
// sidecar with German postal codes.
func mailRun(t *testing.T, n int) (pdf, sidecar []byte) {
	t.Helper()
	var o pdftest.Options
	var pieces []map[string]any
	first := 1
	for i := range n {
		pages := 1 + i%2
		o.Pieces = append(o.Pieces, pages)
		pieces = append(pieces, map[string]any{"first_page": first, "pages": pages,
			"meta": map[string]string{"zip": fmt.Sprintf("%05d", 1067+(i*7919)%98000), "country": "DE", "name": fmt.Sprintf("Customer %d", i+1)}})
		first += pages
	}
	sidecar, _ = json.Marshal(map[string]any{"pieces": pieces})
	return pdfBytes(t, o), sidecar
}

func (d *daemon) report(id int64) api.JobReport {
	d.t.Helper()
	var r api.JobReport
	if err := json.Unmarshal([]byte(d.ctl("job", "report", fmt.Sprint(id), "--json")), &r); err != nil {
		d.t.Fatalf("omsctl job report --json: %v", err)
	}
	return r
}

func (d *daemon) track(id int64, seq int) api.Track {
	d.t.Helper()
	var tr api.Track
	if err := json.Unmarshal([]byte(d.ctl("track", fmt.Sprintf("%d/%d", id, seq), "--json")), &tr); err != nil {
		d.t.Fatalf("omsctl track --json: %v", err)
	}
	return tr
}

func kinds(tr api.Track) []string {
	var out []string
	for _, e := range tr.Events {
		out = append(out, e.Kind)
	}
	return out
}

// TestClosedLoopReprintsDamaged runs 500 pieces through a line that
// damages a seeded 3% of them: omsd reprints exactly those, the line
// inserts the reprint, the run closes and the close-out adds up.
func TestClosedLoopReprintsDamaged(t *testing.T) {
	t.Parallel()
	d := startDaemon(t, loopConfig)
	pdf, side := mailRun(t, 500)
	drop(t, d.path("hot", "mail"), "run.json", side)
	drop(t, d.path("hot", "mail"), "run.pdf", pdf)
	line := newLineSim(t, d, "line/in", "line/results", "out")
	line.camera = true

	name, pieces := line.nextRun(90 * time.Second)
	if len(pieces) != 500 {
		t.Fatalf("manifest %s lists %d pieces", name, len(pieces))
	}
	rng := rand.New(rand.NewPCG(7, 3))
	damaged := map[int]bool{} // by the letters' seqs
	for _, i := range rng.Perm(len(pieces))[:15] {
		for _, s := range pieces[i].seqs {
			damaged[s] = true
		}
	}
	line.writeResults("run-1.jrf", pieces, func(p simPiece) string {
		if damaged[p.seqs[0]] {
			return records.EventDamaged
		}
		return records.EventInserted
	})

	name, again := line.nextRun(60 * time.Second)
	want := slices.Sorted(func(yield func(int) bool) {
		for s := range damaged {
			if !yield(s) {
				return
			}
		}
	})
	if got := seqsOf(again); !slices.Equal(got, want) {
		t.Fatalf("reprint manifest %s holds pieces %v, want the damaged %v", name, got, want)
	}
	if again[0].job != pieces[0].job || !strings.HasSuffix(name, "-r1.jaf") {
		t.Errorf("reprint manifest %s does not carry generation 1", name)
	}
	line.writeResults("run-2.jrf", again, nil)

	root := pieces[0].job
	waitFor(t, 30*time.Second, "the run to close", func() bool { return d.report(root).Loop == "closed" })
	rep := d.report(root)
	if rep.PiecesIn != 500 || rep.PiecesOut != 500 || rep.Status["inserted"] != 500 || len(rep.Unaccounted) != 0 {
		t.Errorf("close-out: in %d out %d status %v unaccounted %v", rep.PiecesIn, rep.PiecesOut, rep.Status, rep.Unaccounted)
	}
	reprintSheets := 0
	for _, p := range again {
		reprintSheets += p.sheets
	}
	if len(rep.Reprints) != 1 || rep.Reprints[0].Pieces != 15 || rep.Reprints[0].Generation != 1 {
		t.Errorf("reprints %+v", rep.Reprints)
	}
	if rep.SheetsOut != rep.SheetsIn+reprintSheets || rep.PagesOut != rep.PagesIn+reprintSheets {
		t.Errorf("sheets in %d out %d, pages in %d out %d; reprint %d sheets", rep.SheetsIn, rep.SheetsOut, rep.PagesIn, rep.PagesOut, reprintSheets)
	}
	envelopes := 0
	for _, p := range rep.Postage {
		envelopes += p.Envelopes
	}
	if rep.Envelopes != 500 || envelopes != 500 {
		t.Errorf("envelopes %d, by product %d (%+v)", rep.Envelopes, envelopes, rep.Postage)
	}
	tr := d.track(root, want[0])
	wantKinds := []string{"received", "planned", "printed", "damaged", "reprinted", "printed", "inserted", "closed"}
	if !slices.Equal(kinds(tr), wantKinds) || tr.Events[5].Generation != 1 || tr.Events[6].Generation != 1 || tr.Events[6].Operator != "op7" {
		t.Errorf("history of damaged piece %d: %v\n%+v", want[0], kinds(tr), tr.Events)
	}
	out := d.ctl("track", fmt.Sprintf("%d/%d", root, want[0]))
	if !strings.Contains(out, "reprinted") || !strings.Contains(out, "run-1.jrf line") {
		t.Errorf("omsctl track:\n%s", out)
	}
}
