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
	// piece 3: a page with overlay O1BOX, from the resource directory, at 3 in, 4 in
	name, _ := afp.EncodeText("O1BOX   ", 500)
	overlayPage := blockPage(0, 20)[:len(blockPage(0, 20))-1] // its own block off the sheet
	overlayPage = append(overlayPage, &afp.Field{ID: 0xD3AFD8, Data: append(name, 0, 0x02, 0xD0, 0, 0x03, 0xC0, 0, 0)}, &afp.Field{ID: afp.IDEPG})
	fields = append(fields, overlayPage...)
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
	// the overlay: a block at its origin
	resDir := t.TempDir()
	var ov bytes.Buffer
	ow := afp.NewWriter(&ov)
	page := blockPage(0, 0)
	page[0] = &afp.Field{ID: 0xD3A8DF, Data: name}
	page[len(page)-1] = &afp.Field{ID: 0xD3A9DF, Data: name}
	for _, f := range page {
		if err := ow.WriteField(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := ow.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(resDir, "O1BOX"), ov.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	o := PreviewOutput{Path: path, Format: "afp", Duplex: true, Resources: resDir, Pieces: []mailpiece.Piece{
		{Seq: 1, FirstPage: 1, Pages: 1, Sheets: 1}, {Seq: 2, FirstPage: 2, Pages: 1, Sheets: 1}, {Seq: 3, FirstPage: 3, Pages: 1, Sheets: 1}}}
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
	// piece 3: the overlay from the workflow's resource directory (IPO at
	// 720, 960 units: 3 in, 4 in)
	sides, err = renderAFPSides(p, o, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !dark(sides[0], 3.5, 4.5) {
		t.Error("piece 3 does not show the overlay from the resource directory")
	}
}
