package e2e

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/marks/markread"
)

// marksFeeders maps the plan's inserts to stations in every workflow.
var marksFeeders = map[string]int{"brochure": 1, "return": 3}

// marksWorkflow is a planned workflow with a profile's marks, printing to
// a file printer of its own.
func marksWorkflow(name, profile string, duplex bool) string {
	return fmt.Sprintf(`  - name: %s
    printer: %s
    duplex: %v
    pieces: {method: sidecar}
    marks: {profile: %s, feeders: {brochure: 1, return: 3}}
    postage:
      carrier: deutschepost
      paper: {gsm: 80, width_mm: 210, height_mm: 297}
      envelopes:
        - {name: C4, max_sheets: 100, weight_g: 13, format: gross}
      household: {enabled: true, key: [customer_id], max_sheets: 12}
      inserts:
        - {name: brochure, weight_g: 4, field: promo, value: "1"}
        - {name: return, weight_g: 3, field: ret, value: "1"}
      fields: {postal_code: zip, country: country, customer_id: customer_id}
`, name, name, duplex, profile)
}

// marksRun is a 50-piece mail run of 1 to 6 sheets a piece, with a
// sidecar: every seventh piece shares its household with the one before,
// some take a brochure or a return envelope. In duplex some pieces have
// an odd page count.
func marksRun(t *testing.T, duplex bool) (pdf, sidecar []byte) {
	t.Helper()
	var o pdftest.Options
	o.Balanced = true
	var pieces []map[string]any
	first := 1
	for i := range 50 {
		pages := 1 + (i*5+i/7)%6
		if duplex {
			pages = 2*pages - i%3%2
		}
		o.Pieces = append(o.Pieces, pages)
		cust := fmt.Sprintf("C%04d", i)
		if i%7 == 6 {
			cust = fmt.Sprintf("C%04d", i-1)
		}
		pieces = append(pieces, map[string]any{"first_page": first, "pages": pages, "meta": map[string]string{
			"customer_id": cust, "zip": fmt.Sprintf("%05d", 1067+(i*7919)%98000), "country": "DE",
			"promo": fmt.Sprint(btoi(i%4 == 1)), "ret": fmt.Sprint(btoi(i%5 == 2))}})
		first += pages
	}
	sidecar, _ = json.Marshal(map[string]any{"pieces": pieces})
	return pdfBytes(t, o), sidecar
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// envelope is what the job says of one envelope: its sheets and feeders.
type envelope struct {
	id, sheets int
	feeders    string
}

// plannedEnvelopes groups a job's pieces by their envelope, in print order.
func plannedEnvelopes(j api.JobDetail, stations int) []envelope {
	byID := map[int]*envelope{}
	for _, p := range j.PiecesDetail {
		e := byID[p.Plan.Envelope]
		if e == nil {
			b := []byte(strings.Repeat("0", stations))
			for _, in := range p.Plan.Inserts {
				b[marksFeeders[in]-1] = '1'
			}
			e = &envelope{id: p.Plan.Envelope, feeders: string(b)}
			byID[e.id] = e
		}
		e.sheets += p.Sheets
	}
	var envs []envelope
	for _, e := range byID {
		envs = append(envs, *e)
	}
	slices.SortFunc(envs, func(a, b envelope) int { return a.id - b.id })
	return envs
}

// TestMarksMailRun prints a 50-piece mail run through a workflow with
// each shipped profile, simplex and duplex, and reads every sheet of the
// output back from pixels: the OMR codes collate the plan's envelopes
// with their feeders, sequence and parity; the Data Matrix texts are the
// planned content. omsctl preview shows a piece.
func TestMarksMailRun(t *testing.T) {
	t.Parallel()
	pdftest.NeedTool(t, "pdftoppm", "poppler-utils")
	type run struct {
		name, profile string
		duplex        bool
	}
	var runs []run
	cfg := "version: 1\nprinters:\n"
	wfs := "workflows:\n"
	for _, prof := range marks.Profiles() {
		for _, duplex := range []bool{false, true} {
			r := run{fmt.Sprintf("%s-%s", prof, map[bool]string{false: "simplex", true: "duplex"}[duplex]), prof, duplex}
			runs = append(runs, r)
			cfg += fmt.Sprintf("  - {name: %s, driver: file, file: {dir: out/%s}}\n", r.name, r.name)
			wfs += marksWorkflow(r.name, prof, duplex)
		}
	}
	hot := "hot_folders:\n"
	for _, r := range runs {
		hot += fmt.Sprintf("  - {dir: hot/%s, workflow: %s, scan_interval: 200ms}\n", r.name, r.name)
	}
	d := startDaemon(t, cfg+wfs+hot)
	for _, r := range runs {
		pdf, side := marksRun(t, r.duplex)
		drop(t, d.path("hot", r.name), "run.json", side)
		drop(t, d.path("hot", r.name), "run.pdf", pdf)
	}
	jobs := d.waitJobs(len(runs), 120*time.Second)
	for _, j := range jobs {
		k := slices.IndexFunc(runs, func(r run) bool { return r.name == j.Workflow })
		if j.State != "completed" || k < 0 {
			t.Fatalf("job %+v\n%s", j, d.log())
		}
		r := runs[k]
		t.Run(r.name, func(t *testing.T) {
			outs, _ := filepath.Glob(d.path("out", r.name, "*.pdf"))
			if len(outs) != 1 {
				t.Fatalf("outputs %v, want one", outs)
			}
			p, err := marks.LoadProfile(r.profile)
			if err != nil {
				t.Fatal(err)
			}
			p.Feeders = marksFeeders
			if err := p.Prepare(); err != nil {
				t.Fatal(err)
			}
			detail := d.job(j.ID)
			if len(detail.Warnings) != 0 {
				t.Errorf("warnings %q", detail.Warnings)
			}
			envs := plannedEnvelopes(detail, p.Stations)
			fed := slices.IndexFunc(envs, func(e envelope) bool { return strings.Contains(e.feeders, "1") })
			if fed < 0 || len(envs) >= 50 {
				t.Fatalf("%d envelopes, none with inserts: the run does not test collation and feeders", len(envs))
			}
			checkMarkedOutput(t, outs[0], p, r.duplex, j.ID, envs)
		})
	}
	checkPreview(t, d, jobs[0].ID)
}

// checkMarkedOutput reads every sheet of a marked output back through the
// camera and compares it with the plan's envelopes.
func checkMarkedOutput(t *testing.T, path string, p *marks.Profile, duplex bool, job int64, envs []envelope) {
	t.Helper()
	var want []string // the planned barcode text of every sheet
	for _, e := range envs {
		for k := range e.sheets {
			want = append(want, fmt.Sprintf("%010d%010d%03d%03d%s00", job, e.id, k+1, e.sheets, e.feeders))
		}
	}
	cam := markread.Camera{Profile: p}
	views, err := cam.Views(&marks.SheetMarks{Barcode: want[0]})
	if err != nil {
		t.Fatal(err)
	}
	pages, err := cam.RenderViews(path, views)
	if err != nil {
		t.Fatal(err)
	}
	fronts := pages
	if duplex { // every sheet has two pages, blank backs included
		fronts = nil
		for i := 0; i < len(pages); i += 2 {
			fronts = append(fronts, pages[i])
			if n := markread.DarkCount(pages[i+1][0].Gray); n != 0 {
				t.Errorf("page %d, a back: %d dark pixels in the marks' zone", i+2, n)
			}
		}
	}
	if len(fronts) != len(want) {
		t.Fatalf("%d sheets printed, the plan has %d", len(fronts), len(want))
	}
	reads, err := cam.Read(fronts)
	if err != nil {
		t.Fatal(err)
	}
	if p.OMR != nil {
		checkOMRReads(t, p, reads, envs)
		return
	}
	for i, rd := range reads {
		if rd.Barcode != want[i] {
			t.Errorf("sheet %d: Data Matrix %q, want %q", i+1, rd.Barcode, want[i])
		}
	}
}

// checkOMRReads checks the OMR codes read: collation into the planned
// envelopes, their feeders, the sequence, parity.
func checkOMRReads(t *testing.T, p *marks.Profile, reads []markread.SheetRead, envs []envelope) {
	t.Helper()
	codes := make([]markread.Code, len(reads))
	for i, rd := range reads {
		if rd.Err != nil || !rd.OMR.Benchmark || !rd.OMR.ParityOK {
			t.Fatalf("sheet %d: %+v", i+1, rd)
		}
		codes[i] = *rd.OMR
	}
	groups, err := markread.Collate(codes)
	if err != nil || len(groups) != len(envs) {
		t.Fatalf("the marks collate %d envelopes (%v), the plan has %d", len(groups), err, len(envs))
	}
	for k, e := range envs {
		if len(groups[k]) != e.sheets || codes[groups[k][0]].FeederDigits() != e.feeders {
			t.Errorf("envelope %d: %d sheets, feeders %s; want %d, %s", e.id, len(groups[k]), codes[groups[k][0]].FeederDigits(), e.sheets, e.feeders)
		}
	}
	if err := markread.CheckSequence(p, codes); err != nil {
		t.Error(err)
	}
}

// checkPreview asks omsctl for a preview of one piece: a PNG, and the
// planned marks as JSON.
func checkPreview(t *testing.T, d *daemon, job int64) {
	t.Helper()
	png := filepath.Join(t.TempDir(), "piece.png")
	d.ctl("preview", fmt.Sprint(job), "--piece", "3", "-o", png)
	g, err := markread.ReadGray(png)
	if err != nil || g.Bounds().Dx() < 400 || markread.DarkCount(g) == 0 {
		t.Errorf("preview PNG: %v", err)
	}
	var pv api.Preview
	if err := json.Unmarshal([]byte(d.ctl("preview", fmt.Sprint(job), "--piece", "3", "--json")), &pv); err != nil || len(pv.Sheets) == 0 {
		t.Errorf("preview --json: %v %+v", err, pv)
	}
}
