package pipeline

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/omsd/omsd/afp"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/marks/markread"
)

// blockPage is an A4 page (240 units an inch) with a black block 1 inch
// square whose top left corner is at x, y inches.
func blockPage(x, y int) []*afp.Field {
	ptx := []byte{0x2B, 0xD3, 0x04, 0xD3, byte(y * 240 >> 8), byte(y * 240), 0x04, 0xC7, byte(x * 240 >> 8), byte(x * 240),
		0x07, 0xE4, 0x00, 0xF0, 0x00, 0xF0, 0x00} // an inline rule 240 long, 240 wide
	return []*afp.Field{{ID: afp.IDBPG}, {ID: 0xD3A8C9}, {ID: 0xD3A6AF, Data: []byte{0, 0, 0x09, 0x60, 0x09, 0x60, 0, 0x07, 0xC0, 0, 0x0A, 0xF6, 0, 0, 0}},
		{ID: 0xD3A9C9}, {ID: 0xD3A89B}, {ID: 0xD3EE9B, Data: ptx}, {ID: 0xD3A99B}, {ID: afp.IDEPG}}
}

// TestAFPPreviewRendersPages: the preview of a piece of an AFP output
// shows its own pages, rendered through the AFP to PDF transform, with a
// blank back in duplex.
func TestAFPPreviewRendersPages(t *testing.T) {
	p, err := marks.LoadProfile(marks.Profiles()[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Prepare(); err != nil {
		t.Fatal(err)
	}
	var fields []*afp.Field
	fields = append(fields, &afp.Field{ID: afp.IDBDT})
	fields = append(fields, blockPage(1, 1)...) // piece 1: one page, block top left
	fields = append(fields, blockPage(5, 8)...) // piece 2: one page, block bottom right
	fields = append(fields, &afp.Field{ID: afp.IDEDT})
	var b bytes.Buffer
	w := afp.NewWriter(&b)
	for _, f := range fields {
		if err := w.WriteField(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "out.afp")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	o := PreviewOutput{Path: path, Format: "afp", Duplex: true, Pieces: []mailpiece.Piece{
		{Seq: 1, FirstPage: 1, Pages: 1, Sheets: 1}, {Seq: 2, FirstPage: 2, Pages: 1, Sheets: 1}}}
	sides, err := renderAFPSides(p, o, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(sides) != 2 {
		t.Fatalf("%d sides, want a front and a blank back", len(sides))
	}
	dark := func(im markread.Image, xIn, yIn float64) bool {
		px, py := im.ToPixels(xIn*72, p.Page().H-yIn*72)
		return markread.Dark(im.Gray, px, py)
	}
	if !dark(sides[0], 5.5, 8.5) || dark(sides[0], 1.5, 1.5) {
		t.Error("the front does not show piece 2's page: its block bottom right, none top left")
	}
	if markread.DarkCount(sides[1].Gray) != 0 {
		t.Error("the back of a one-page piece in duplex is not blank")
	}
}
