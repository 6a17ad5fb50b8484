package pipeline

import (
	"errors"
	"fmt"
	"os"

	"github.com/omsd/omsd/afp"
	"github.com/omsd/omsd/atomicfile"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/marks/afpmarks"
	"github.com/omsd/omsd/meta"
)

// ErrNoPageGroups reports an AFP file without named page groups in a
// workflow whose pieces are its page groups.
var ErrNoPageGroups = errors.New("the AFP file has no named page groups (BNG/ENG); set the workflow's pieces.method to imm, tle or nop (with pieces.key) or fixed (with pages_per_piece), or to auto to take the whole file as one piece")

// afpFile is an AFP print file, indexed once when opened: its pieces come
// from the boundary the workflow's piece method names (page groups by
// default), its sheets from its medium maps.
type afpFile struct {
	path string
	idx  *afp.Index
}

func openAFP(path string, wf config.Workflow) (*afpFile, error) {
	opt, err := AFPOptions(wf)
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
	if st.Size() == 0 {
		return nil, badFormat(errors.New("the AFP file is empty"))
	}
	idx, err := afp.BuildIndexAt(f, st.Size(), opt) // on every core
	if err != nil {
		var fe *afp.FormatError
		if errors.As(err, &fe) {
			return nil, badFormat(err)
		}
		return nil, err
	}
	return &afpFile{path: path, idx: idx}, nil
}

// AFPOptions turns the workflow's settings (piece method and key, code
// page, form definition) into the options the AFP index is built with.
func AFPOptions(wf config.Workflow) (afp.IndexOptions, error) {
	opt := afp.IndexOptions{CodePage: wf.AFP.CodePage}
	switch m := wf.Pieces.Method; m {
	case "", "auto", "pagegroups":
		opt.Boundary = afp.PageGroups()
	case "imm":
		opt.Boundary = afp.EveryIMM()
	case "tle":
		opt.Boundary = afp.TLEKey(wf.Pieces.Key)
	case "nop":
		opt.Boundary = afp.NOPKey(wf.Pieces.Key)
	case "fixed":
		opt.Boundary = afp.FixedPages(wf.Pieces.PagesPerPiece)
	default:
		return opt, fmt.Errorf("piece method %q does not apply to AFP; use pagegroups, imm, tle, nop or fixed", m)
	}
	if wf.AFP.FormDef != "" {
		f, err := os.Open(wf.AFP.FormDef)
		if err != nil {
			return opt, fmt.Errorf("form definition: %w", err)
		}
		defer f.Close()
		fm, err := afp.ParseFormMap(f)
		if err != nil {
			return opt, fmt.Errorf("form definition %s: %w", wf.AFP.FormDef, err)
		}
		opt.FormMap = fm
	}
	return opt, nil
}

func (f *afpFile) PageCount() int { return f.idx.Pages }

// embeddedPieces returns the pieces of the index, with TLE names renamed
// by the workflow's afp.fields.
func (f *afpFile) embeddedPieces(wf config.Workflow, method string) ([]mailpiece.Piece, string, bool, error) {
	if method == "" || method == "auto" {
		method = "pagegroups"
	}
	duplexFallback := f.idx.FormMap == nil && wf.Duplex
	pieces := make([]mailpiece.Piece, len(f.idx.Pieces))
	b := meta.NewBuilder()
	b.Grow(attrSizes(f.idx.Pieces))
	for i := range f.idx.Pieces {
		p := &f.idx.Pieces[i]
		sheets := int(p.Sheets)
		if duplexFallback { // no form map: the workflow says how it prints
			sheets = mailpiece.SheetsFor(int(p.Pages), true)
		}
		pieces[i] = mailpiece.Piece{Seq: int(p.Seq), Name: p.Name, FirstPage: int(p.FirstPage), Pages: int(p.Pages),
			Sheets: sheets, Meta: renamedMeta(b, p, wf.AFP.Fields)}
	}
	if method == "pagegroups" && f.idx.PageGroups == 0 { // the index made one piece of it all
		return pieces, "whole", false, ErrNoPageGroups
	}
	return pieces, method, len(pieces) > 0, nil
}

// attrSizes counts the attributes of pieces and the bytes of their values.
func attrSizes(pieces []afp.Piece) (n, bytes int) {
	for i := range pieces {
		for a := range pieces[i].Attrs() {
			n, bytes = n+1, bytes+len(a.Value)
		}
	}
	return n, bytes
}

// renamedMeta is the piece's metadata, built in b: each attribute under
// the name the workflow maps it to, or its own; the first value of a name
// wins.
func renamedMeta(b *meta.Builder, p *afp.Piece, names map[string]string) meta.Fields {
	for a := range p.Attrs() {
		k := a.Name
		if n, ok := names[k]; ok {
			k = n
		}
		b.SetDefault(k, a.Value)
	}
	return b.End()
}

// write copies the pieces, by offset, into a standalone print file.
func (f *afpFile) write(path string, pieces []mailpiece.Piece) error {
	return f.writeWith(path, pieces, nil, nil)
}

// writeMarked writes the pieces with the marks of their sheets added to
// each page, each sheet's computed when the output reaches it. Every piece
// starts on a sheet of its own (the output invokes its medium map in front
// of it). Page content is not checked against the marks' zones.
func (f *afpFile) writeMarked(path string, pieces []mailpiece.Piece, run MarkRun, m *marking) ([]string, error) {
	h, err := afpmarks.NewHook(m.profile, marks.JobInfo{ID: run.Job}, streamEnvelopes(run, pieces))
	if err != nil {
		return nil, fmt.Errorf("marks: %w", err)
	}
	err = f.writeWith(path, pieces, h.Page, func() error {
		if err := h.Err(); err != nil {
			return fmt.Errorf("marks: %w", err)
		}
		return nil
	})
	return nil, err
}

// writeWith writes the pieces through WriteOutput with a page hook; done,
// if not nil, then says whether the hook failed, before the output is
// renamed into place.
func (f *afpFile) writeWith(path string, pieces []mailpiece.Piece, hook afp.PageHook, done func() error) error {
	order := make([]int, len(pieces))
	for i, p := range pieces {
		order[i] = p.Seq
	}
	src, err := os.Open(f.path)
	if err != nil {
		return err
	}
	defer src.Close()
	_, err = atomicfile.WriteWith(path, 0o644, func(out *os.File) error {
		if err := afp.WriteOutput(atomicfile.Writeback(out), src, f.idx, order, hook); err != nil || done == nil {
			return err
		}
		return done()
	})
	return err
}
