package channels

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/pdf"
	"github.com/omsd/omsd/spool"
)

// piecesDir is the directory, in a job's spool directory, of its pieces
// as standalone PDFs.
const piecesDir = "pieces"

// pieceDocs opens a job's print file once for the pieces it writes.
type pieceDocs struct {
	store *spool.Store
	job   spool.Job
	doc   *pdf.Doc
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
	path := d.path(p.Seq)
	if _, err := os.Stat(path); err == nil {
		return path, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	if d.doc == nil {
		doc, err := pdf.Open(filepath.Join(d.store.JobDir(d.job.ID), d.job.Input))
		if err != nil {
			return "", fmt.Errorf("job %d: opening its print file: %w", d.job.ID, err)
		}
		d.doc = doc
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	pages := make([]int, 0, p.Pages)
	for n := p.FirstPage; n <= p.LastPage(); n++ {
		pages = append(pages, n)
	}
	err := d.doc.WriteOutputs([]pdf.OutputSpec{{Path: path, Pages: pages, Info: pieceInfo(d.job, p)}})
	if err != nil {
		return "", fmt.Errorf("piece %d of job %d as its own PDF: %w", p.Seq, d.job.ID, err)
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
	for k, v := range p.Meta {
		if _, taken := info[k]; !taken && k != "" {
			info[k] = v
		}
	}
	return info
}
