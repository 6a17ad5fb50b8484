package ipp

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	goipp "github.com/phin1x/go-ipp"

	"github.com/omsd/omsd/drivers"
)

// Send prints doc: it checks the printer accepts jobs, sends the document
// with Print-Job and follows the job until the printer completes, aborts
// or cancels it. If ctx ends while the job is followed, the job is canceled
// at the printer and Send returns Cancel.
func (d *Driver) Send(ctx context.Context, doc drivers.Document, progress func(drivers.Progress)) (drivers.Outcome, error) {
	if progress == nil {
		progress = func(drivers.Progress) {}
	}
	f, err := os.Open(doc.Path)
	if err != nil {
		return drivers.Failed, fmt.Errorf("ipp: open document: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return drivers.Failed, fmt.Errorf("ipp: open document: %w", err)
	}
	if !st.Mode().IsRegular() {
		return drivers.Failed, fmt.Errorf("ipp: document %s is not a regular file", doc.Path)
	}
	clock, out, err := d.checkAccepting(ctx)
	if out != drivers.OK {
		return out, fmt.Errorf("%w: %w", drivers.ErrNotSent, err)
	}
	req := d.printJobRequest(jobName(doc), d.documentFormat(doc), d.copies(doc))
	req.File, req.FileSize = f, int(st.Size())
	jobID, out, err := d.printJob(ctx, req)
	if out != drivers.OK {
		return out, refused(err)
	}
	doc.Name = jobName(doc)
	if jobID == 0 {
		progress(finished(doc))
		return drivers.OK, nil
	}
	log := d.log.With().Int64("job", doc.JobID).Int("ipp_job", jobID).Logger()
	log.Info().Int64("bytes", st.Size()).Msg("document sent")
	return d.follow(ctx, log, jobID, doc, progress, clock)
}

// checkAccepting asks the printer whether it accepts jobs. A printer that
// does not is retried later. It returns the printer's up-time as the first
// reading of the job's clock.
func (d *Driver) checkAccepting(ctx context.Context) (upClock, drivers.Outcome, error) {
	var clock upClock
	sent := time.Now()
	resp, err := d.call(ctx, "Get-Printer-Attributes", d.printerAttrsRequest())
	if err != nil {
		return clock, outcomeForError(ctx, err), err
	}
	attrs := firstGroup(resp.PrinterAttributes)
	if up, ok := firstInt(attrs, attrPrinterUpTime); ok {
		clock.observe(up, sent, time.Now())
	}
	if accepting, ok := firstBool(attrs, goipp.AttributePrinterIsAcceptingJobs); ok && !accepting {
		reasons := strings.Join(allStrings(attrs, goipp.AttributePrinterStateReasons), ",")
		return clock, drivers.Retry, fmt.Errorf("%w: %s (printer-state-reasons %s)", ErrNotAccepting, d.printerURI, reasons)
	}
	return clock, drivers.OK, nil
}

// printJob sends the Print-Job request and returns the printer's job id,
// or 0 when the printer took the document without telling one.
func (d *Driver) printJob(ctx context.Context, req *goipp.Request) (int, drivers.Outcome, error) {
	resp, err := d.call(ctx, "Print-Job", req)
	if err != nil {
		return 0, outcomeForError(ctx, err), err
	}
	if resp.StatusCode != goipp.StatusOk {
		d.log.Warn().Str("status", StatusName(resp.StatusCode)).
			Strs("unsupported", attributeNames(resp.UnsupportedAttributes)).
			Msg("printer ignored or changed some job attributes")
	}
	jobID, ok := firstInt(firstGroup(resp.JobAttributes), goipp.AttributeJobID)
	if !ok || jobID <= 0 {
		d.log.Warn().Msg("printer took the document without a job-id; cannot follow the job")
		return 0, drivers.OK, nil
	}
	return jobID, drivers.OK, nil
}

// refused marks the error of a Print-Job the printer answered with an
// error status (IPP or HTTP) as drivers.ErrNotSent: it created no job, so
// the attempt printed nothing. A transport error (the connection lost
// while the document went out) may have left a job and is kept as it is.
func refused(err error) error {
	var serr *StatusError
	var herr *HTTPError
	if errors.As(err, &serr) || errors.As(err, &herr) {
		return fmt.Errorf("%w: %w", drivers.ErrNotSent, err)
	}
	return err
}

// call sends a request and checks the answer's status code.
func (d *Driver) call(ctx context.Context, op string, req *goipp.Request) (*goipp.Response, error) {
	resp, err := d.roundTrip(ctx, op, req)
	if err != nil {
		return nil, err
	}
	if err := checkStatus(op, resp); err != nil {
		return nil, err
	}
	return resp, nil
}

// documentFormat chooses the document-format to send.
func (d *Driver) documentFormat(doc drivers.Document) string {
	switch {
	case d.cfg.DocumentFormat != "":
		return d.cfg.DocumentFormat
	case doc.Format != "" && len(doc.Format) <= maxName:
		return doc.Format
	default:
		return "application/octet-stream"
	}
}

// jobName is the job-name shown at the printer.
func jobName(doc drivers.Document) string {
	if doc.Name != "" {
		return doc.Name
	}
	return fmt.Sprintf("omsd job %d", doc.JobID)
}

// attributeNames lists the names in an attribute group, for logs.
func attributeNames(attrs goipp.Attributes) []string {
	names := make([]string, 0, len(attrs))
	for name := range attrs {
		names = append(names, name)
	}
	return names
}
