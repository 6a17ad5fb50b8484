// Package drivers defines how omsd talks to output devices: one small
// interface that every device driver (drivers/file, drivers/ipp, ...)
// implements, and the outcomes a driver reports, which are those of a CUPS
// backend.
package drivers

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// Outcome is what a driver reports after trying to send a document. The
// values follow the exit codes of a CUPS backend.
type Outcome int

const (
	OK           Outcome = iota // the device took the document and finished it
	Failed                      // the document could not be printed; the job fails
	Hold                        // hold the job for the operator
	StopQueue                   // stop the printer; the job waits
	Cancel                      // the job was canceled at the device
	Retry                       // try the job again later
	RetryCurrent                // try the job again now
)

var outcomeNames = [...]string{"ok", "failed", "hold", "stop-queue", "cancel", "retry", "retry-current"}

func (o Outcome) String() string {
	if o < 0 || int(o) >= len(outcomeNames) {
		return "unknown"
	}
	return outcomeNames[o]
}

// Document is one print file handed to a device.
type Document struct {
	JobID  int64
	Path   string // the file to send
	Name   string // job name shown on the device
	Format string // MIME type, e.g. application/pdf
	Pages  int
	Sheets int
	// Copies is how many copies of the document the job asks for; 0 and
	// 1 mean one. SendCopies makes them.
	Copies int
	// CopiesDone is how many of them the device already took whole in an
	// earlier attempt (recorded from Progress.CopyDone): SendCopies starts
	// with the next.
	CopiesDone int
}

// Progress reports how far a device got with a document.
type Progress struct {
	SheetsDone int    // sheets the device reports done (or an estimate from bytes sent)
	Sheets     int    // sheets in the document
	State      string // device job state, e.g. "processing"
	Message    string
	// Confirmed says SheetsDone is what the device itself reported printed
	// (IPP job-media-sheets-completed, job-impressions-completed), not an
	// estimate: the sheets it covers are not sent again after a fault.
	Confirmed bool
	// PrinterState and PrinterReasons are the device's state while it
	// prints, when the driver watches it (IPP printer-state and
	// printer-state-reasons: stopped, media-empty, paused, ...).
	PrinterState   string
	PrinterReasons string
	// CopyDone, when not 0, is the only news of this report: SendCopies
	// says the device took copy CopyDone (from 1) of the document whole,
	// so an attempt after a fault starts with the next copy.
	CopyDone int
}

// Capabilities are what a device says it can print.
type Capabilities struct {
	Formats []string // MIME types
	Duplex  bool
	Color   bool
	Media   []string // media keywords
}

// CapabilityReader is implemented by drivers that can ask their device
// what it can print (IPP's document-format-supported, sides-supported,
// color-supported, media-supported).
type CapabilityReader interface {
	Capabilities(ctx context.Context) (Capabilities, error)
}

// Status is a device's state, in IPP terms.
type Status struct {
	State         string   `json:"state"`   // idle, processing, stopped, unknown
	Reasons       []string `json:"reasons"` // printer-state-reasons
	AcceptingJobs bool     `json:"accepting_jobs"`
	Info          string   `json:"info,omitempty"`
	MakeModel     string   `json:"make_model,omitempty"`
}

// Driver sends documents to one configured device.
type Driver interface {
	// Send delivers doc and follows it until the device is done with it or
	// ctx ends. progress may be called from Send's goroutine any number of
	// times; it may be nil. The error explains any outcome but OK.
	Send(ctx context.Context, doc Document, progress func(Progress)) (Outcome, error)
	// Status reads the device's current state.
	Status(ctx context.Context) (Status, error)
}

// ErrUnreachable is wrapped by errors for devices that cannot be reached.
var ErrUnreachable = errors.New("drivers: device unreachable")

// ErrNotSent is wrapped by errors that mean no byte of the document reached
// the device (the connection was refused, the device said it takes no
// jobs) or the device refused the job outright and kept none of it (an
// IPP error status to Print-Job, a refusing LPD acknowledgement), so the
// attempt does not count as a transmission of its pieces.
var ErrNotSent = errors.New("drivers: document not sent")

// OpenDocument opens the file a Document names for sending and returns its
// size; it must be a regular file.
func OpenDocument(path string) (*os.File, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, 0, fmt.Errorf("%s is not a regular file", path)
	}
	return f, st.Size(), nil
}
