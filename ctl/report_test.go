package ctl

import (
	"encoding/csv"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
)

// TestReportFormats: a report as a table, as its JSON document and as CSV
// that parses back to the same figures; a window of dates takes the last
// day whole.
func TestReportFormats(t *testing.T) {
	sock, _ := serve(t)
	out, _, err := omsctl(t, sock, "report", "volumes", "--from", "2026-11-02", "--to", "2026-11-03")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "GROUP  RUNS  PIECES_IN") || !strings.Contains(out, "total  1     2") {
		t.Errorf("table:\n%s", out)
	}
	out, _, err = omsctl(t, sock, "report", "volumes", "--from", "2026-11-02", "--to", "2026-11-03", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var rep api.Report
	decode(t, out, &rep)
	from := time.Date(2026, 11, 2, 0, 0, 0, 0, time.Local)
	if !rep.From.Equal(from) || !rep.To.Equal(from.AddDate(0, 0, 2)) || rep.Total.PiecesIn != 2 {
		t.Errorf("report %+v; want the 2nd and the 3rd whole, 2 pieces", rep)
	}
	out, _, err = omsctl(t, sock, "report", "reprints", "--csv")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v\n%s", err, out)
	}
	if len(recs) != 2 || strings.Join(recs[0], ",") != "group,runs,pieces_in,reprints,reprinted,rate_%" || recs[1][2] != "2" {
		t.Errorf("CSV %q", recs)
	}
}

// TestReportPNG: --png draws the report into a PNG file of the chart's
// size, beside the table.
func TestReportPNG(t *testing.T) {
	sock, _ := serve(t)
	file := filepath.Join(t.TempDir(), "volumes.png")
	out, _, err := omsctl(t, sock, "report", "volumes", "--png", file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "PIECES_IN") {
		t.Errorf("no table beside the chart:\n%s", out)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil || cfg.Width != 1200 || cfg.Height != 675 {
		t.Errorf("chart %dx%d, %v; want a 1200x675 PNG", cfg.Width, cfg.Height, err)
	}
}

func TestReportErrors(t *testing.T) {
	sock, _ := serve(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"report"}, "name one report"},
		{[]string{"report", "nosuch"}, "name one report"},
		{[]string{"report", "volumes", "--from", "yesterday"}, "neither a date"},
		{[]string{"report", "volumes", "--from", "2026-11-03", "--to", "2026-11-01"}, "is not before"},
		{[]string{"report", "volumes", "--json", "--csv"}, "choose one"},
	} {
		_, _, err := omsctl(t, sock, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v; want an error saying %q", c.args, err, c.want)
		}
	}
}

func TestJobsAtRisk(t *testing.T) {
	sock, _ := serve(t)
	out, _, err := omsctl(t, sock, "jobs", "--at-risk")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "SHEETS_AHEAD") || !strings.Contains(out, "inv.pdf") {
		t.Errorf("jobs --at-risk:\n%s", out)
	}
	out, _, err = omsctl(t, sock, "jobs", "--at-risk", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var list []api.Deadline
	decode(t, out, &list)
	if len(list) != 1 || !list[0].AtRisk || list[0].SheetsAhead != 120 {
		t.Errorf("jobs --at-risk --json: %+v", list)
	}
}
