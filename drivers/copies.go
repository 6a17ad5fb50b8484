package drivers

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
)

// CopiesSender is implemented by drivers whose device makes a document's
// copies itself when asked (IPP's copies attribute): SendCopies hands
// them the document once.
type CopiesSender interface {
	SendsCopies() bool
}

// SendCopies delivers doc's copies through d. A device that makes copies
// itself gets the document once, asked for the copies not yet made. Any
// other gets it once per copy, each a document of its own (the second
// named NAME-copy2.EXT, and so on), starting after doc.CopiesDone; each
// copy taken whole but the last is reported as Progress.CopyDone, for the
// caller to record, and only the last copy's progress confirms pieces, so
// that a piece counts as printed once all its copies are. The first copy
// that does not end OK ends the send with its outcome: the next attempt
// starts with that copy (the copies before it are done), from the
// output's first unconfirmed piece.
func SendCopies(ctx context.Context, d Driver, doc Document, progress func(Progress)) (Outcome, error) {
	n := max(doc.Copies, 1)
	first := min(max(doc.CopiesDone, 0), n-1) + 1
	if cs, ok := d.(CopiesSender); n == 1 || (ok && cs.SendsCopies()) {
		doc.Copies, doc.CopiesDone = n-first+1, 0
		return d.Send(ctx, doc, progress)
	}
	for i := first; i <= n; i++ {
		one := doc
		one.Copies, one.CopiesDone = 1, 0
		one.Name = CopyName(doc.Name, i)
		report := progress
		if i < n && progress != nil {
			report = func(p Progress) {
				p.SheetsDone, p.Confirmed = 0, false
				p.Message = strings.TrimSpace(fmt.Sprintf("copy %d of %d: %s", i, n, p.Message))
				progress(p)
			}
		}
		out, err := d.Send(ctx, one, report)
		if out != OK {
			if err != nil && n > 1 {
				err = fmt.Errorf("copy %d of %d: %w", i, n, err)
			}
			return out, err
		}
		if i < n && progress != nil {
			progress(Progress{CopyDone: i, Message: fmt.Sprintf("copy %d of %d taken by the printer", i, n)})
		}
	}
	return OK, nil
}

// CopyName is the name of copy i (from 1) of a document named name: the
// name itself for the first, NAME-copyI.EXT for the others.
func CopyName(name string, i int) string {
	if i <= 1 {
		return name
	}
	ext := filepath.Ext(name)
	if len(ext) > 5 || strings.ContainsAny(ext, " /") {
		ext = ""
	}
	return fmt.Sprintf("%s-copy%d%s", strings.TrimSuffix(name, ext), i, ext)
}
