// Package file is the driver for a directory as output device: every
// document is written into the directory under "<jobid>-<name>". Files
// appear atomically: they are written under a temporary name, synced and
// renamed, so a reader of the directory never sees half a document.
//
// What the device can confirm: that the whole document (every byte of
// the size it had when the send began) is in the directory under its
// final name and durable: the file was synced (or
// hard-linked from the synced spool file), renamed and its directory
// synced. Send reports OK only then; an error at any step (write, sync,
// rename, directory sync, a source that cannot be read) is not OK (the
// queue stops, or the job fails for a bad source), and a temporary file
// is removed. Progress is an estimate from the bytes copied and confirms
// no piece.
package file

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/rs/zerolog"
	"golang.org/x/sys/unix"

	"github.com/omsd/omsd/drivers"
)

// Errors of the file driver.
var (
	// ErrOutputDir is wrapped by errors about an unusable output directory.
	ErrOutputDir = errors.New("file: output directory unusable")
	// ErrSource is wrapped by errors reading the document to send.
	ErrSource = errors.New("file: cannot read document")
)

// DefaultMode is the permission of the outputs of a driver made by New:
// readable by the owner's group, by nobody else.
const DefaultMode os.FileMode = 0o640

// Driver writes documents into one directory. It implements drivers.Driver.
type Driver struct {
	// Link makes Send hard-link the document into the directory when
	// both are on one filesystem, instead of copying its bytes.
	Link bool
	// Mode is the permission of the outputs written (DefaultMode unless
	// set). A linked output shares the spool file's inode, whose mode is
	// set to Mode too.
	Mode os.FileMode

	dir string
	log zerolog.Logger
}

var _ drivers.Driver = (*Driver)(nil)

// New returns a driver that writes each document into dir atomically.
// An existing file of the same name is replaced, so sending a job again
// replaces its earlier output.
func New(dir string, log zerolog.Logger) *Driver {
	return &Driver{Mode: DefaultMode, dir: dir, log: log.With().Str("device", "file:"+dir).Logger()}
}

// Dir is the output directory.
func (d *Driver) Dir() string { return d.dir }

// Status reports the directory as idle and accepting when it exists and
// is writable, and as stopped with the reason "other" otherwise.
func (d *Driver) Status(ctx context.Context) (drivers.Status, error) {
	if err := checkDir(d.dir); err != nil {
		return drivers.Status{State: "stopped", Reasons: []string{"other"}, Info: err.Error()}, nil
	}
	return drivers.Status{State: "idle", Reasons: []string{"none"}, AcceptingJobs: true, Info: "directory " + d.dir}, nil
}

// checkDir returns an error wrapping ErrOutputDir unless dir is an
// existing, writable directory.
func checkDir(dir string) error {
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrOutputDir, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("%w: %s is not a directory", ErrOutputDir, dir)
	}
	if err := unix.Access(dir, unix.W_OK|unix.X_OK); err != nil {
		return fmt.Errorf("%w: %s is not writable: %w", ErrOutputDir, dir, err)
	}
	return nil
}

// Send writes doc into the directory. It reports progress as sheets in
// proportion to the bytes copied. A missing or unwritable directory stops
// the queue; an unreadable document fails the job; a canceled ctx leaves
// no output behind and reports Cancel.
func (d *Driver) Send(ctx context.Context, doc drivers.Document, progress func(drivers.Progress)) (drivers.Outcome, error) {
	if progress == nil {
		progress = func(drivers.Progress) {}
	}
	log := d.log.With().Int64("job", doc.JobID).Logger()
	if err := checkDir(d.dir); err != nil {
		return drivers.StopQueue, err
	}
	src, err := os.Open(doc.Path)
	if err != nil {
		return drivers.Failed, fmt.Errorf("%w: %w", ErrSource, err)
	}
	defer src.Close()
	st, err := src.Stat()
	if err != nil {
		return drivers.Failed, fmt.Errorf("%w: %w", ErrSource, err)
	}
	out := filepath.Join(d.dir, OutputName(doc))
	linked, err := d.link(ctx, src, doc, out)
	if err != nil {
		return outcomeFor(ctx, err), err
	}
	if linked {
		progress(drivers.Progress{SheetsDone: doc.Sheets, Sheets: doc.Sheets, State: "completed"})
		log.Info().Str("file", out).Int64("bytes", st.Size()).Msg("document linked")
		return drivers.OK, nil
	}
	w := &writer{ctx: ctx, doc: doc, mode: d.Mode, size: st.Size(), progress: progress}
	if err := w.write(src, out); err != nil {
		return outcomeFor(ctx, err), err
	}
	progress(drivers.Progress{SheetsDone: doc.Sheets, Sheets: doc.Sheets, State: "completed"})
	log.Info().Str("file", out).Int64("bytes", st.Size()).Msg("document written")
	return drivers.OK, nil
}

// outcomeFor chooses the outcome for an error of writer.write.
func outcomeFor(ctx context.Context, err error) drivers.Outcome {
	switch {
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		return drivers.Cancel
	case errors.Is(err, ErrSource):
		return drivers.Failed
	default:
		return drivers.StopQueue
	}
}
