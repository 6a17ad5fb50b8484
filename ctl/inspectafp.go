package ctl

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strconv"

	"github.com/omsd/omsd/afp"
	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/pipeline"
)

// afpInspection is an AFP file's index as omsctl inspect reports it: the
// pieces the pipeline would find, without turning each into a metadata map
// first, so that a run of a million pages is inspected in about the time
// it takes to read it.
type afpInspection struct {
	file, method  string
	pages, sheets int
	idx           *afp.Index
	names         map[string]string // afp.fields: TLE names to metadata names
	duplex        bool              // no form map: sheets as the workflow prints
}

// inspectAFP indexes the AFP file at path as wf says.
func inspectAFP(path string, wf config.Workflow) (*afpInspection, error) {
	opt, err := pipeline.AFPOptions(wf)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	// The index is nearly all live data and little garbage: collecting
	// at every doubling of the heap costs a third of the time (the
	// collector's work, and freed pages zeroed and faulted in again) for
	// a few percent less peak memory. omsctl is one short process.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	idx, err := afp.BuildIndexAt(f, st.Size(), opt) // on every core
	if err != nil {
		return nil, err
	}
	in := &afpInspection{file: path, method: wf.Pieces.Method, pages: idx.Pages, idx: idx, names: wf.AFP.Fields,
		duplex: idx.FormMap == nil && wf.Duplex}
	if in.method == "" || in.method == "auto" {
		in.method = "pagegroups"
	}
	for i := range idx.Pieces {
		in.sheets += in.sheetsOf(&idx.Pieces[i])
	}
	return in, nil
}

func (in *afpInspection) sheetsOf(p *afp.Piece) int {
	if in.duplex {
		return mailpiece.SheetsFor(int(p.Pages), true)
	}
	return int(p.Sheets)
}

// meta is a piece's metadata as the pipeline names it: attributes renamed
// by afp.fields, the first of repeated names winning, sorted by name.
func (in *afpInspection) meta(p *afp.Piece, buf []afp.Attr) []afp.Attr {
	buf = buf[:0]
	for a := range p.Attrs() {
		if n, ok := in.names[a.Name]; ok {
			a.Name = n
		}
		if !slices.ContainsFunc(buf, func(b afp.Attr) bool { return b.Name == a.Name }) {
			buf = append(buf, a)
		}
	}
	slices.SortFunc(buf, func(a, b afp.Attr) int { return cmpString(a.Name, b.Name) })
	return buf
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// apiPiece is piece i as the API shows it.
func (in *afpInspection) apiPiece(i int) api.Piece {
	p := &in.idx.Pieces[i]
	out := api.Piece{Seq: int(p.Seq), Name: p.Name, FirstPage: int(p.FirstPage), Pages: int(p.Pages), Sheets: in.sheetsOf(p)}
	if attrs := in.meta(p, nil); len(attrs) > 0 {
		out.Meta = make(map[string]string, len(attrs))
		for _, a := range attrs {
			out.Meta[a.Name] = a.Value
		}
	}
	return out
}

// writeJSON streams the inspectionJSON document, a piece a line; it is
// what encoding/json makes of it, without the indentation.
func (in *afpInspection) writeJSON(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	b := []byte(`{"file":`)
	b = appendJSONString(b, in.file)
	b = append(b, `,"format":"afp","pages":`...)
	b = strconv.AppendInt(b, int64(in.pages), 10)
	b = append(b, `,"sheets":`...)
	b = strconv.AppendInt(b, int64(in.sheets), 10)
	b = append(b, `,"method":`...)
	b = appendJSONString(b, in.method)
	b = append(b, `,"pieces":[`...)
	var attrs []afp.Attr
	for i := range in.idx.Pieces {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '\n')
		p := &in.idx.Pieces[i]
		attrs = in.meta(p, attrs)
		b = appendPieceJSON(b, p, in.sheetsOf(p), attrs)
		if len(b) > 64<<10 {
			bw.Write(b)
			b = b[:0]
		}
	}
	b = append(b, "\n]}\n"...)
	bw.Write(b)
	return bw.Flush()
}

// appendPieceJSON appends an api.Piece document without a placement.
func appendPieceJSON(b []byte, p *afp.Piece, sheets int, meta []afp.Attr) []byte {
	b = append(b, `{"seq":`...)
	b = strconv.AppendInt(b, int64(p.Seq), 10)
	b = append(b, `,"first_page":`...)
	b = strconv.AppendInt(b, int64(p.FirstPage), 10)
	b = append(b, `,"pages":`...)
	b = strconv.AppendInt(b, int64(p.Pages), 10)
	b = append(b, `,"sheets":`...)
	b = strconv.AppendInt(b, int64(sheets), 10)
	if len(meta) > 0 {
		b = append(b, `,"meta":{`...)
		for i, a := range meta {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(appendJSONString(b, a.Name), ':')
			b = appendJSONString(b, a.Value)
		}
		b = append(b, '}')
	}
	if p.Name != "" {
		b = append(b, `,"name":`...)
		b = appendJSONString(b, p.Name)
	}
	return append(b, '}')
}

// printText prints the summary and the first limit pieces (all with
// limit < 0), saying how many more there are.
func (in *afpInspection) printText(w io.Writer, limit int) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	n := len(in.idx.Pieces)
	fmt.Fprintf(bw, "file    %s\nformat  afp\npages   %d\nsheets  %d\npieces  %d (found by %s)\n\n", in.file, in.pages, in.sheets, n, in.method)
	shown := n
	if limit >= 0 {
		shown = min(n, limit)
	}
	pieces := make([]api.Piece, shown)
	for i := range pieces {
		pieces[i] = in.apiPiece(i)
	}
	if err := printPieces(bw, pieces); err != nil {
		return err
	}
	morePieces(bw, n-shown)
	return bw.Flush()
}

// morePieces notes the pieces a listing left out.
func morePieces(w io.Writer, n int) {
	if n > 0 {
		fmt.Fprintf(w, "… and %d more pieces (--all lists them, --json prints them all)\n", n)
	}
}
