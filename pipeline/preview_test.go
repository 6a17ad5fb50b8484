package pipeline

import (
	"bytes"
	"flag"
	"path/filepath"
	"testing"

	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/marks/markread"
	"github.com/omsd/omsd/meta"
)

var update = flag.Bool("update", false, "rewrite the golden PNGs in testdata")

// previewPieces are three pieces of 1 to 3 sheets; the second shares an
// envelope with the first and takes a brochure.
func previewPieces() []mailpiece.Piece {
	pl := mailpiece.Place(4, &mailpiece.EnvelopeClass{Inserts: []string{"brochure"}})
	return []mailpiece.Piece{
		{Seq: 7, FirstPage: 1, Pages: 2, Sheets: 2, Placement: pl},
		{Seq: 8, FirstPage: 3, Pages: 3, Sheets: 3, Placement: pl},
		{Seq: 9, FirstPage: 6, Pages: 1, Sheets: 1, Placement: mailpiece.Place(5, nil)},
	}
}

// TestAFPPreviewGolden draws the marks of one sheet of each shipped
// profile as omsctl preview does for AFP, crops its mark zones and
// compares them with testdata/afp-NAME.png; -update rewrites them.
func TestAFPPreviewGolden(t *testing.T) {
	for _, name := range marks.Profiles() {
		p, err := marks.LoadProfile(name)
		if err != nil {
			t.Fatal(err)
		}
		p.Feeders = map[string]int{"brochure": 1}
		if err := p.Prepare(); err != nil {
			t.Fatal(err)
		}
		o := PreviewOutput{Format: "afp", Pieces: previewPieces()}
		o.Run.Job = "4711"
		sheets, err := PreviewSheets(p, o, 8)
		if err != nil || len(sheets) != 3 || sheets[0].SheetInEnvelope != 3 {
			t.Fatalf("%s: sheets %+v, %v", name, sheets, err)
		}
		sides, err := drawSides(p, false, sheets[1:2]) // envelope 4, sheet 4 of 5
		if err != nil {
			t.Fatal(err)
		}
		zones, _ := p.Zones(&sheets[1])
		got := markread.Draw(markread.View{Area: zones[0].Rect, DPI: previewDPI}, p.Page().H, nil)
		for y := range got.Rect.Dy() {
			for x := range got.Rect.Dx() {
				px, py := sides[0].ToPixels(got.ToPoints(float64(x), float64(y)))
				if markread.Dark(sides[0].Gray, px, py) {
					got.Pix[y*got.Stride+x] = 0
				}
			}
		}
		golden := filepath.Join("testdata", "afp-"+name+".png")
		if *update {
			if err := markread.WritePNG(golden, got.Gray); err != nil {
				t.Fatal(err)
			}
		}
		want, err := markread.ReadGray(golden)
		if err != nil {
			t.Fatal(err)
		}
		if want.Bounds() != got.Bounds() || !bytes.Equal(want.Pix, got.Pix) || markread.DarkCount(want) == 0 {
			t.Errorf("%s: the mark zone differs from %s (run with -update to accept)", name, golden)
		}
	}
}

// TestMarkSheetsRun: a reprint's barcodes carry its generation, and an
// envelope with a diverted piece its divert code.
func TestMarkSheetsRun(t *testing.T) {
	p, err := marks.LoadProfile("datamatrix-fbp")
	if err != nil {
		t.Fatal(err)
	}
	piece := previewPieces()[2:]
	piece[0].Meta = meta.FromMap(map[string]string{"divert": "yes"})
	tests := []struct {
		run  MarkRun
		want string // the divert and reprint digits
	}{
		{MarkRun{Job: "4711"}, "00"},
		{MarkRun{Job: "4711", Generation: 3}, "03"},
		{MarkRun{Job: "4711", DivertField: "divert"}, "10"},
		{MarkRun{Job: "4711", DivertField: "other"}, "00"},
	}
	for _, tt := range tests {
		sheets, err := MarkSheets(p, tt.run, piece)
		if err != nil || len(sheets) != 1 {
			t.Fatalf("MarkSheets = %d sheets, %v", len(sheets), err)
		}
		want := "0000004711" + "0000000005" + "001001" + "000000" + tt.want
		if got := sheets[0].Barcode; got != want {
			t.Errorf("%+v: barcode %q, want %q", tt.run, got, want)
		}
	}
}
