package ctl

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/omsd/omsd/api"
)

// runPreview: omsctl preview JOB --piece N [-o FILE.png] [--json]
func runPreview(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("preview", "JOB --piece N [-o FILE.png] [--json]")
	piece := fs.Int("piece", 0, "the piece's sequence `number`")
	out := fs.String("o", "", "write the PNG to `file` (default preview-JOB-PIECE.png)")
	asJSON := fs.Bool("json", false, "print the sheets' planned marks, without the image")
	id, err := previewArgs(e, fs, args, piece)
	if err != nil {
		return err
	}
	p, err := e.client.Preview(ctx, id, *piece, !*asJSON)
	if err != nil {
		return fmt.Errorf("preview job %d piece %d: %w", id, *piece, err)
	}
	if *asJSON {
		return printJSON(e.stdout, p)
	}
	if *out == "" {
		*out = fmt.Sprintf("preview-%d-%d.png", id, *piece)
	}
	if err := os.WriteFile(*out, p.PNG, 0o644); err != nil {
		return fmt.Errorf("preview: %w", err)
	}
	return printPreview(e.stdout, p, *out)
}

// previewArgs parses the job ID and checks --piece.
func previewArgs(e *env, fs *flag.FlagSet, args []string, piece *int) (int64, error) {
	pos, err := e.parse(fs, args)
	if err != nil {
		return 0, err
	}
	if err := wantArgs("preview", pos, "JOB"); err != nil {
		return 0, err
	}
	id, err := parseID(pos[0])
	if err != nil {
		return 0, fmt.Errorf("preview: %w", err)
	}
	if *piece <= 0 {
		return 0, errors.New("preview: --piece N is required (a piece's sequence number, as job show lists them)")
	}
	return id, nil
}

// printPreview writes a table of the sheets' marks and where the image is.
func printPreview(w io.Writer, p api.Preview, file string) error {
	fmt.Fprintf(w, "job %d piece %d: %d sheets in %s, profile %s; image %s\n", p.Job, p.Piece, len(p.Sheets), p.Output, p.Profile, file)
	t := newTable(w, "SHEET", "ENVELOPE", "OF ENVELOPE", "COUNTER", "OMR", "BARCODE", "IMB")
	for _, s := range p.Sheets {
		t.row(fmt.Sprint(s.SheetInPiece), fmt.Sprint(s.Envelope), fmt.Sprintf("%d/%d", s.SheetInEnvelope, s.SheetsInEnvelope),
			fmt.Sprint(s.Counter), s.OMR, s.Barcode, s.IMb)
	}
	return t.flush()
}
