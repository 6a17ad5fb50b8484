package channels

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/omsd/omsd/afp/topdf"
	"github.com/omsd/omsd/atomicfile"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/pdf"
	"github.com/omsd/omsd/spool"
)

// renderedAFP is the PDF rendering of an AFP job's print file, in its
// pieces' directory.
const renderedAFP = "input.pdf"

// openPrintPDF opens job j's print file as PDF: the file itself for a PDF
// workflow; for an AFP workflow its rendering by afp/topdf, made once and
// kept (page n of the PDF is page n of the AFP file, so the pieces' pages
// are the same).
func openPrintPDF(store *spool.Store, j spool.Job, wf config.Workflow) (*pdf.Doc, error) {
	dir := store.JobDir(j.ID)
	if wf.Format != "afp" {
		return pdf.Open(filepath.Join(dir, j.Input))
	}
	path := filepath.Join(dir, piecesDir, renderedAFP)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if err := renderAFP(filepath.Join(dir, j.Input), path, wf); err != nil {
			return nil, fmt.Errorf("job %d: rendering its AFP print file as PDF: %w", j.ID, err)
		}
	} else if err != nil {
		return nil, err
	}
	return pdf.Open(path)
}

// renderAFP writes the PDF of the AFP file in to out, atomically.
func renderAFP(in, out string, wf config.Workflow) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	_, err = atomicfile.WriteWith(out, 0o644, func(w *os.File) error {
		_, err := topdf.Transform(bufio.NewReaderSize(f, 1<<20), w, topdf.Options{ResourceDir: wf.AFP.Resources})
		return err
	})
	return err
}
