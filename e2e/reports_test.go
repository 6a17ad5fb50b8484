package e2e

import (
	"encoding/csv"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/records"
)

// reportsConfig is the closed-loop configuration with a deadline on the
// mail, and two workflows without a line: plain, and urgent, whose jobs
// are due a second after they arrive.
var reportsConfig = strings.NewReplacer("    line: L1\n", "    line: L1\n    deadline: {within: 1h}\n", "hot_folders:\n", `  - name: plain
    printer: out
    pieces: {method: fixed, pages_per_piece: 2}
  - name: urgent
    printer: out
    pieces: {method: fixed, pages_per_piece: 1}
    deadline: {within: 1s}
hot_folders:
`).Replace(loopConfig)

// periodReport runs omsctl report KIND --json with args.
func (d *daemon) periodReport(kind string, args ...string) api.Report {
	d.t.Helper()
	var r api.Report
	out := d.ctl(append([]string{"report", kind, "--json"}, args...)...)
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		d.t.Fatalf("omsctl report %s --json: %v\n%s", kind, err, out)
	}
	return r
}

// TestReportsAddUpWithJobReports: a day's runs — a closed-loop run with
// damaged pieces and their reprint, another that goes through clean, a
// print-only job — give volume, postage, reprint and SLA reports whose
// every figure is the sum of the runs' own job reports, and still do
// once an operator reprinted a piece of the clean run after the reports
// kept its figures; the CSV parses back to the same figures; a held job past its deadline is at risk, in
// omsctl jobs --at-risk, in its events and in /metrics.
func TestReportsAddUpWithJobReports(t *testing.T) {
	t.Parallel()
	d := startDaemon(t, reportsConfig)
	line := newLineSim(t, d, "line/in", "line/results", "out")
	runLine := func(name string, n int, damaged ...int) int64 {
		pdf, side := mailRun(t, n)
		drop(t, d.path("hot", "mail"), name+".json", side)
		drop(t, d.path("hot", "mail"), name+".pdf", pdf)
		_, pieces := line.nextRun(90 * time.Second)
		bad := map[int]bool{}
		for _, i := range damaged {
			bad[pieces[i].id] = true
		}
		line.writeResults(name+"-1.jrf", pieces, func(p simPiece) string {
			if bad[p.id] {
				return records.EventDamaged
			}
			return records.EventInserted
		})
		if len(damaged) > 0 {
			_, again := line.nextRun(60 * time.Second)
			line.writeResults(name+"-2.jrf", again, nil)
		}
		root := pieces[0].job
		waitFor(t, 60*time.Second, name+" to close", func() bool { return d.report(root).Loop == "closed" })
		return root
	}
	a := runLine("a", 40, 5, 11)
	b := runLine("b", 20)
	plain := filepath.Join(d.dir, "plain.pdf")
	if err := os.WriteFile(plain, pdfBytes(t, pdftest.Options{Pieces: []int{2, 2, 2}}), 0o644); err != nil {
		t.Fatal(err)
	}
	var cj api.Job
	json.Unmarshal([]byte(d.ctl("submit", plain, "--workflow", "plain", "--json")), &cj)
	waitFor(t, 60*time.Second, "the plain job to complete", func() bool { return d.job(cj.ID).State == "completed" })

	reports := map[int64]api.JobReport{a: d.report(a), b: d.report(b), cj.ID: d.report(cj.ID)}
	vol := d.periodReport("volumes", "--by", "workflow")
	if got := slices.Sorted(slices.Values(vol.Total.Jobs)); !slices.Equal(got, []int64{a, b, cj.ID}) {
		t.Fatalf("the report's runs %v; want %d, %d, %d (the reprint is counted with its run)", got, a, b, cj.ID)
	}
	var sum api.ReportRow
	reprinted := 0
	for _, r := range reports {
		sum.PiecesIn += r.PiecesIn
		sum.PagesIn += r.PagesIn
		sum.SheetsIn += r.SheetsIn
		sum.PiecesOut += r.PiecesOut
		sum.PagesOut += r.PagesOut
		sum.SheetsOut += r.SheetsOut
		sum.Envelopes += r.Envelopes
		sum.Reprints += len(r.Reprints)
		for _, rp := range r.Reprints {
			reprinted += rp.Pieces
		}
	}
	tot := vol.Total
	if tot.PiecesIn != sum.PiecesIn || tot.PagesIn != sum.PagesIn || tot.SheetsIn != sum.SheetsIn || tot.PiecesOut != sum.PiecesOut ||
		tot.PagesOut != sum.PagesOut || tot.SheetsOut != sum.SheetsOut || tot.Envelopes != sum.Envelopes {
		t.Errorf("volumes total %+v; the job reports add up to %+v", tot, sum)
	}
	if tot.PiecesIn != 63 || len(vol.Rows) != 2 || vol.Rows[0].Key != "mail" || vol.Rows[0].PiecesIn != 60 || vol.Rows[1].PiecesIn != 3 {
		t.Errorf("volumes by workflow %+v; want mail 60 and plain 3 pieces", vol.Rows)
	}

	rp := d.periodReport("reprints")
	if rp.Total.Reprints != sum.Reprints || rp.Total.ReprintedPieces != reprinted || sum.Reprints != 1 {
		t.Errorf("reprints %d of %d pieces; the job reports say %d of %d", rp.Total.Reprints, rp.Total.ReprintedPieces, sum.Reprints, reprinted)
	}
	post := d.periodReport("postage")
	wantPostage := cents(t, reports[a].PostageTotal) + cents(t, reports[b].PostageTotal)
	if got := cents(t, post.Total.PostageTotal); got != wantPostage || got == 0 {
		t.Errorf("postage %s; the job reports say %s + %s", post.Total.PostageTotal, reports[a].PostageTotal, reports[b].PostageTotal)
	}
	sla := d.periodReport("sla", "--by", "day")
	if s := sla.Total; s.Deadlines != 2 || s.Met != 2 || s.Missed != 0 || len(sla.Rows) != 1 || sla.Rows[0].Key != d.job(a).Created.Local().Format(time.DateOnly) {
		t.Errorf("sla %+v rows %+v; want the two mail runs met, on the day they arrived", s, sla.Rows)
	}

	recs, err := csv.NewReader(strings.NewReader(d.ctl("report", "volumes", "--by", "day", "--csv"))).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v", err)
	}
	last := recs[len(recs)-1]
	if last[0] != "total" || last[2] != strconv.Itoa(sum.PiecesIn) || last[8] != strconv.Itoa(sum.Envelopes) {
		t.Errorf("CSV total %q; want pieces in %d, envelopes %d", last, sum.PiecesIn, sum.Envelopes)
	}

	chart := filepath.Join(d.dir, "volumes.png")
	d.ctl("report", "volumes", "--by", "workflow", "--png", chart)
	if f, err := os.Open(chart); err != nil {
		t.Error(err)
	} else {
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width != 1200 || cfg.Height != 675 {
			t.Errorf("the chart: %dx%d, %v; want a 1200x675 PNG", cfg.Width, cfg.Height, err)
		}
	}

	// An operator's reprint of a closed run after the reports kept its
	// figures: the run is counted afresh and the reports still add up.
	var rr api.ReprintResult
	if err := json.Unmarshal([]byte(d.ctl("reprint", strconv.FormatInt(b, 10), "--pieces", "1", "--json")), &rr); err != nil || rr.Reprint.ID == 0 {
		t.Fatalf("omsctl reprint --json: %+v, %v", rr, err)
	}
	waitFor(t, 60*time.Second, "run b's reprint to print", func() bool { return d.job(rr.Reprint.ID).State == "completed" })
	var again api.ReportRow
	for _, id := range []int64{a, b, cj.ID} {
		r := d.report(id)
		again.PagesOut += r.PagesOut
		again.SheetsOut += r.SheetsOut
		again.Reprints += len(r.Reprints)
	}
	if got := d.periodReport("volumes").Total; got.PagesOut != again.PagesOut || got.SheetsOut != again.SheetsOut ||
		got.Reprints != again.Reprints || again.Reprints != sum.Reprints+1 || again.PagesOut <= sum.PagesOut {
		t.Errorf("after a reprint of run b: %d pages, %d sheets out, %d reprints; the job reports say %d, %d, %d (before: %d pages, %d reprints)",
			got.PagesOut, got.SheetsOut, got.Reprints, again.PagesOut, again.SheetsOut, again.Reprints, sum.PagesOut, sum.Reprints)
	}

	urgent := filepath.Join(d.dir, "urgent.pdf")
	os.WriteFile(urgent, pdfBytes(t, pdftest.Options{Pieces: []int{1}}), 0o644)
	var uj api.Job
	json.Unmarshal([]byte(d.ctl("submit", urgent, "--workflow", "urgent", "--hold", "--json")), &uj)
	waitFor(t, 30*time.Second, "the held urgent job to be at risk", func() bool {
		var list []api.Deadline
		json.Unmarshal([]byte(d.ctl("jobs", "--at-risk", "--json")), &list)
		return len(list) == 1 && list[0].Job == uj.ID
	})
	waitFor(t, 30*time.Second, "the at-risk warning event", func() bool {
		for _, e := range d.job(uj.ID).Events {
			if slices.Contains(e.Reasons, "job-deadline-at-risk") {
				return true
			}
		}
		return false
	})
	if expo := d.scrapeSocket(); sample(expo, "omsd_jobs_at_risk") != 1 {
		t.Errorf("omsd_jobs_at_risk is %v; want 1", sample(expo, "omsd_jobs_at_risk"))
	}
}
