package ctl

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"github.com/omsd/omsd/afp/topdf"
	"github.com/omsd/omsd/atomicfile"
)

// archiveGetPDF writes archived piece id to out as a PDF: an AFP piece (a
// standalone page group with its resources) is rendered by the AFP to PDF
// transform; a PDF piece is written as it was sent.
func archiveGetPDF(ctx context.Context, e *env, id, out string) error {
	tmp, err := os.CreateTemp("", "omsctl-archive-*")
	if err != nil {
		return fmt.Errorf("archive get %s: %w", id, err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	sum, err := e.client.ArchiveGet(ctx, id, tmp)
	if err != nil {
		return fmt.Errorf("archive get %s: %w", id, err)
	}
	head := make([]byte, 5)
	n, _ := tmp.ReadAt(head, 0)
	if _, err := tmp.Seek(0, 0); err != nil {
		return fmt.Errorf("archive get %s: %w", id, err)
	}
	if bytes.HasPrefix(head[:n], []byte("%PDF-")) {
		if _, err := atomicfile.WriteFile(out, tmp, 0o644); err != nil {
			return fmt.Errorf("archive get %s: %w", id, err)
		}
		fmt.Fprintf(e.stdout, "%s: piece %s as it was sent (a PDF), SHA-256 %s\n", out, id, sum)
		return nil
	}
	var res *topdf.Result
	_, err = atomicfile.WriteWith(out, 0o644, func(f *os.File) error {
		var terr error
		res, terr = topdf.Transform(tmp, f, topdf.Options{})
		return terr
	})
	if err != nil {
		return fmt.Errorf("archive get %s --pdf: the archived AFP (SHA-256 %s) could not be rendered: %w; get it as sent without --pdf", id, sum, err)
	}
	fmt.Fprintf(e.stdout, "%s: piece %s rendered from the AFP as sent (SHA-256 %s): %d pages, %d warnings\n", out, id, sum, res.Pages, len(res.Warnings)+res.MoreWarnings)
	for _, w := range res.Warnings {
		fmt.Fprintf(e.stderr, "warning: %v\n", w)
	}
	return nil
}
