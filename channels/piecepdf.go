package channels

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/pdf"
	"github.com/omsd/omsd/spool"
)

// piecesDir is the directory, in a job's spool directory, of its pieces
// as standalone PDFs.
const piecesDir = "pieces"

// pieceBatch is how many pieces' PDFs are written in one pass over the
// print file (each WriteOutputs reads the input's outline and records
// once, and writes its outputs in parallel).
const pieceBatch = 256

// pieceDocs opens a job's print file once for the pieces it writes.
type pieceDocs struct {
	mu    sync.Mutex // the connections of a pass share it
	store *spool.Store
	job   spool.Job
	wf    config.Workflow
	doc   *pdf.Doc
	pdfa  bool // the pieces as PDF/A-2b
	// ahead are the pieces about to be delivered, in order: a piece
	// whose PDF is missing is written with the next ones of them.
	ahead []mailpiece.Piece
}

// open opens the job's print file as PDF, once.
func (d *pieceDocs) open() error {
	if d.doc != nil {
		return nil
	}
	doc, err := openPrintPDF(d.store, d.job, d.wf)
	if err != nil {
		return fmt.Errorf("job %d: opening its print file: %w", d.job.ID, err)
	}
	d.doc = doc
	return nil
}

// path is where piece seq of the job is kept as its own PDF.
func (d *pieceDocs) path(seq int) string {
	return filepath.Join(d.store.JobDir(d.job.ID), piecesDir, "piece-"+strconv.Itoa(seq)+".pdf")
}

// file returns the piece's own PDF, written the first time: its pages
// with the fonts and resources they use, its outline entries, and its
// metadata in the document information. Once written it is never written
// again, so that every attempt attaches the same bytes.
func (d *pieceDocs) file(p mailpiece.Piece) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	path := d.path(p.Seq)
	if _, err := os.Stat(path); err == nil {
		return path, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	batch := []mailpiece.Piece{p}
	if i := slices.IndexFunc(d.ahead, func(q mailpiece.Piece) bool { return q.Seq == p.Seq }); i >= 0 && !d.pdfa {
		// (PDF/A pieces are written one by one: one that cannot be PDF/A
		// fails alone.)
		batch = d.ahead[i:min(i+pieceBatch, len(d.ahead))]
	}
	if err := d.write(batch); err != nil {
		return "", err
	}
	return path, nil
}

// write writes the PDFs of pieces that have none, in one pass.
func (d *pieceDocs) write(pieces []mailpiece.Piece) error {
	if err := d.open(); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(d.store.JobDir(d.job.ID), piecesDir), 0o755); err != nil {
		return err
	}
	var specs []pdf.OutputSpec
	for _, p := range pieces {
		path := d.path(p.Seq)
		if _, err := os.Stat(path); err == nil {
			continue
		}
		pages := make([]int, 0, p.Pages)
		for n := p.FirstPage; n <= p.LastPage(); n++ {
			pages = append(pages, n)
		}
		specs = append(specs, pdf.OutputSpec{Path: path, Pages: pages, Info: pieceInfo(d.job, p), PDFA: d.pdfa})
	}
	if len(specs) == 0 {
		return nil
	}
	if err := d.doc.WriteOutputs(specs); err != nil {
		return fmt.Errorf("pieces of job %d as their own PDFs: %w", d.job.ID, err)
	}
	return nil
}

// lockedFile returns the piece's PDF protected with password, written
// the first time (the salts and IVs are random: once written it is kept,
// so that every attempt attaches the same bytes).
func (d *pieceDocs) lockedFile(p mailpiece.Piece, password, owner string) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	path := strings.TrimSuffix(d.path(p.Seq), ".pdf") + ".locked.pdf"
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := d.open(); err != nil {
		return "", err
	}
	pages := make([]int, 0, p.Pages)
	for n := p.FirstPage; n <= p.LastPage(); n++ {
		pages = append(pages, n)
	}
	err := d.doc.WriteOutputs([]pdf.OutputSpec{{Path: path, Pages: pages, Info: pieceInfo(d.job, p),
		Protect: &pdf.Protection{UserPassword: password, OwnerPassword: owner}}})
	if err != nil {
		return "", fmt.Errorf("piece %d of job %d protected: %w", p.Seq, d.job.ID, err)
	}
	return path, nil
}

// pieceInfo is a piece PDF's document information: its title, producer
// and every metadata field.
func pieceInfo(j spool.Job, p mailpiece.Piece) map[string]string {
	info := map[string]string{
		"Title":    fmt.Sprintf("%s, piece %d", j.Name, p.Seq),
		"Producer": "omsd",
	}
	for k, v := range p.Meta.All() {
		if _, taken := info[k]; !taken && k != "" {
			info[k] = v
		}
	}
	return info
}
