package chart

import (
	"bytes"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
)

func sampleReport(kind string) api.Report {
	from := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	rows := []api.ReportRow{
		{Key: "2026-11-02", PiecesIn: 1200, SheetsOut: 1900, Envelopes: 1100, ReprintRate: 1.5, Met: 3, Missed: 1},
		{Key: "2026-11-03", PiecesIn: 800, SheetsOut: 1300, Envelopes: 760, ReprintRate: 0.4, Met: 2, Open: 1},
	}
	total := api.ReportRow{Key: "total", PiecesIn: 2000, Postage: []api.ProductPostage{
		{Product: "Standardbrief", Envelopes: 1500, Postage: "1425.00"}, {Product: "Kompaktbrief", Envelopes: 360, Postage: "396.00"}}}
	return api.Report{Kind: kind, From: from, To: from.AddDate(0, 0, 2), By: api.ByDay, Rows: rows, Total: total}
}

// TestWritePNG: every kind of report draws a PNG of the chart's size;
// with OMSD_CHART_DIR set the charts are kept there to be looked at.
func TestWritePNG(t *testing.T) {
	for _, kind := range api.ReportKinds {
		var b bytes.Buffer
		if err := WritePNG(&b, sampleReport(kind)); err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		img, err := png.Decode(bytes.NewReader(b.Bytes()))
		if err != nil {
			t.Fatalf("%s: not a PNG: %v", kind, err)
		}
		if sz := img.Bounds().Size(); sz.X != 1200 || sz.Y != 675 {
			t.Errorf("%s: %v pixels; want 1200x675", kind, sz)
		}
		if dir := os.Getenv("OMSD_CHART_DIR"); dir != "" {
			os.WriteFile(filepath.Join(dir, kind+".png"), b.Bytes(), 0o644)
		}
	}
}

func TestNothingToDraw(t *testing.T) {
	rep := api.Report{Kind: api.ReportPostage}
	if err := WritePNG(&bytes.Buffer{}, rep); !errors.Is(err, ErrChart) {
		t.Errorf("an empty postage report: %v; want ErrChart", err)
	}
}

// TestTitleInTheReportsZone: the title gives the window in the location
// of the report's times (the console's operator's, omsctl's machine's).
func TestTitleInTheReportsZone(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	rep := sampleReport(api.ReportVolumes)
	rep.From, rep.To = rep.From.In(berlin), rep.To.In(berlin)
	p, err := Draw(rep)
	if err != nil {
		t.Fatal(err)
	}
	if want := "omsd volumes, 2026-11-02 01:00 to 2026-11-04 01:00"; p.Title.Text != want {
		t.Errorf("title %q; want %q", p.Title.Text, want)
	}
}
