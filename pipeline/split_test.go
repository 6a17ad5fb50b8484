package pipeline

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/omsd/omsd/afp"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/internal/afptest"
	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/pdf"
)

// TestSplitOutputPDF: each piece cut out of an output is a PDF of its
// pages; an output whose pages do not add up is an error.
func TestSplitOutputPDF(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.pdf")
	sizes := []int{2, 1, 3}
	if err := pdftest.WriteFile(path, pdftest.Options{Pieces: sizes}); err != nil {
		t.Fatal(err)
	}
	var pieces []mailpiece.Piece
	first := 1
	for i, n := range sizes {
		pieces = append(pieces, mailpiece.Piece{Seq: i + 1, FirstPage: first, Pages: n, Sheets: n})
		first += n
	}
	got := 0
	err := SplitOutput(config.Workflow{Format: "pdf"}, path, pieces, func(i int, pf PieceFile) error {
		p := filepath.Join(dir, "piece.pdf")
		os.WriteFile(p, pf.Data, 0o644)
		d, err := pdf.Open(p)
		if err != nil || d.PageCount() != sizes[i] || pf.Pages != sizes[i] {
			t.Errorf("piece %d: %v, pages %d, want %d", i+1, err, pf.Pages, sizes[i])
		}
		got++
		return nil
	})
	if err != nil || got != 3 {
		t.Fatalf("split: %d pieces, %v", got, err)
	}
	if err := SplitOutput(config.Workflow{Format: "pdf"}, path, pieces[:2], func(int, PieceFile) error { return nil }); err == nil {
		t.Error("an output with pages no piece holds was split")
	}
	// An output of one piece is that piece, byte for byte.
	sent, _ := os.ReadFile(path)
	whole := []mailpiece.Piece{{Seq: 1, FirstPage: 1, Pages: 6, Sheets: 6}}
	err = SplitOutput(config.Workflow{Format: "pdf"}, path, whole, func(_ int, pf PieceFile) error {
		if !bytes.Equal(pf.Data, sent) || pf.Pages != 6 {
			t.Errorf("the one piece of an output: %d bytes of %d pages, want the output's %d bytes", len(pf.Data), pf.Pages, len(sent))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSplitOutputAFP: each piece is a standalone AFP file holding the
// run's header and one page group.
func TestSplitOutputAFP(t *testing.T) {
	var run bytes.Buffer
	truth, err := afptest.Write(&run, afptest.Options{Pages: 30, TextBytes: 100})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "out.afp")
	os.WriteFile(path, run.Bytes(), 0o644)
	pieces := make([]mailpiece.Piece, len(truth.Pieces))
	for i, p := range truth.Pieces {
		pieces[i] = mailpiece.Piece{Seq: p.Seq, Pages: p.Pages}
	}
	header := run.Bytes()[:truth.HeaderLen]
	err = SplitOutput(config.Workflow{Format: "afp"}, path, pieces, func(i int, pf PieceFile) error {
		idx, err := afp.BuildIndex(bytes.NewReader(pf.Data), afp.IndexOptions{Boundary: afp.PageGroups()})
		if err != nil || len(idx.Pieces) != 1 || idx.Pieces[0].Name != truth.Pieces[i].Name || pf.Pages != truth.Pieces[i].Pages || !bytes.HasPrefix(pf.Data, header) {
			t.Errorf("piece %d: %v", i+1, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
