// Command stamp is the driver of the marks benchmark: it writes a mail run
// and a one-page stamp PDF for qpdf to overlay, and stamps the OMR marks
// of a marks profile onto every sheet of the run, as the pipeline would.
//
//	stamp -gen -pages 10000 RUN.pdf STAMP.pdf
//	stamp [-profile pb-omr] RUN.pdf OUT.pdf
//
// The run has pieces of one to four pages (2.5 on average), printed
// simplex, one envelope per piece; its pages are A4, as the shipped
// profiles assume. The stamp holds the same marks as a typical sheet.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/marks/pdfmarks"
	"github.com/omsd/omsd/pdf"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "stamp:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("stamp", flag.ContinueOnError)
	gen := fs.Bool("gen", false, "write a mail run and a stamp PDF")
	pages := fs.Int("pages", 10000, "with -gen: pages of the run")
	profile := fs.String("profile", "pb-omr", "marks profile: a shipped name or a file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 || *pages < 1 {
		return errors.New("usage: stamp -gen -pages N RUN.pdf STAMP.pdf | stamp [-profile NAME] RUN.pdf OUT.pdf")
	}
	p, err := marks.LoadProfile(*profile)
	if err != nil {
		return err
	}
	if *gen {
		return generate(*pages, p, fs.Arg(0), fs.Arg(1))
	}
	return stamp(p, fs.Arg(0), fs.Arg(1))
}

// pieceSizes are the page counts of the run's pieces: 1, 4, 3, 2, 1, …
func pieceSizes(pages int) []int {
	var sizes []int
	for left, i := pages, 0; left > 0; i++ {
		n := min(1+(i*7)%4, left)
		sizes = append(sizes, n)
		left -= n
	}
	return sizes
}

// stamp marks every sheet of the run at in and writes it to out.
func stamp(p *marks.Profile, in, out string) error {
	doc, err := pdf.Open(in)
	if err != nil {
		return err
	}
	var pieces []mailpiece.Piece
	first := 1
	for i, n := range pieceSizes(doc.PageCount()) {
		pieces = append(pieces, mailpiece.Piece{Seq: i + 1, FirstPage: first, Pages: n, Sheets: n})
		first += n
	}
	sheets, err := marks.Sheets(marks.JobInfo{ID: "1"}, marks.PerPiece(pieces), p)
	if err != nil {
		return err
	}
	order := make([]int, doc.PageCount())
	for i := range order {
		order[i] = i + 1
	}
	return pdfmarks.Write(doc, []pdfmarks.Output{{Path: out, Pages: order, Sheets: sheets}}, p, false)
}

// generate writes the run and the stamp.
func generate(pages int, p *marks.Profile, runPath, stampPath string) error {
	if err := pdftest.WriteFile(runPath, pdftest.Options{Pieces: pieceSizes(pages), Balanced: true, Logo: true}); err != nil {
		return err
	}
	sheets, err := marks.Sheets(marks.JobInfo{ID: "1"}, marks.PerPiece([]mailpiece.Piece{{Seq: 1, Pages: 3, Sheets: 3}}), p)
	if err != nil {
		return err
	}
	var content strings.Builder
	content.WriteString("0 g\n")
	for i, r := range p.OMRPositions() {
		if sheets[1].OMR[i] {
			fmt.Fprintf(&content, "%.3f %.3f %.3f %.3f re\n", r.X, r.Y, r.W, r.H)
		}
	}
	content.WriteString("f\n")
	return os.WriteFile(stampPath, onePage(p.Page(), content.String()), 0o644)
}

// onePage is a PDF of one page of the given size showing content.
func onePage(page marks.Rect, content string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Contents 4 0 R >>", page.W, page.H),
		pdftest.Stream(content),
	}
	var b bytes.Buffer
	pdftest.WriteObjects(&b, objs) // writing to a buffer cannot fail
	return b.Bytes()
}
