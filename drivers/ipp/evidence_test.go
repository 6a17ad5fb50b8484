package ipp

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	goipp "github.com/phin1x/go-ipp"

	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/internal/testpeer"
)

// The fake printer encodes its answers with go-ipp, which takes every
// attribute's tag from its own table; it lacks the up-time attributes.
func init() {
	goipp.AttributeTagMapping[attrPrinterUpTime] = goipp.TagInteger
	goipp.AttributeTagMapping[attrJobPrinterUpTime] = goipp.TagInteger
}

// printerUp is an accepting printer that has been up for up seconds.
func printerUp(up int) fakeAnswer {
	a := fakeAnswer{printer: attr(goipp.AttributePrinterIsAcceptingJobs, goipp.TagBoolean, true)}
	a.printer[attrPrinterUpTime] = attr(attrPrinterUpTime, goipp.TagInteger, up)[attrPrinterUpTime]
	return a
}

// jobAt is a Get-Job-Attributes answer: the job in state with imp
// impressions completed (none if negative), the printer up for up seconds.
func jobAt(state, imp, up int) fakeAnswer {
	job := attr(goipp.AttributeJobState, goipp.TagEnum, state)
	job[goipp.AttributeJobName] = attr(goipp.AttributeJobName, goipp.TagName, "run")[goipp.AttributeJobName]
	job[attrJobPrinterUpTime] = attr(attrJobPrinterUpTime, goipp.TagInteger, up)[attrJobPrinterUpTime]
	if imp >= 0 {
		job[goipp.AttributeJobImpressionsCompleted] = attr(goipp.AttributeJobImpressionsCompleted, goipp.TagInteger, imp)[goipp.AttributeJobImpressionsCompleted]
	}
	return fakeAnswer{job: job}
}

var notFound = fakeAnswer{status: goipp.StatusErrorNotFound}

// TestFollowEvidence checks that a job counts as completed only on the
// printer's word: job-state completed before any sign of a restart, or
// every sheet reported printed before the printer forgot the job.
func TestFollowEvidence(t *testing.T) {
	tests := []struct {
		name    string
		printer []fakeAnswer // Get-Printer-Attributes, in order
		job     []fakeAnswer // Get-Job-Attributes, in order
		want    drivers.Outcome
		wantErr error
		wantMsg string
	}{
		{"completed", []fakeAnswer{printerUp(100)},
			[]fakeAnswer{jobAt(jobProcessing, 0, 100), jobAt(jobCompleted, 2, 101)}, drivers.OK, nil, ""},
		{"forgotten at once", []fakeAnswer{printerUp(100)},
			[]fakeAnswer{notFound}, drivers.Retry, ErrJobLost, "never reported the job completed"},
		{"forgotten after some sheets", []fakeAnswer{printerUp(100)},
			[]fakeAnswer{jobAt(jobProcessing, 1, 100), notFound}, drivers.Retry, ErrJobLost, "never reported"},
		{"forgotten after every sheet", []fakeAnswer{printerUp(100)},
			[]fakeAnswer{jobAt(jobProcessing, 2, 100), notFound}, drivers.OK, nil, ""},
		// Killed and started again within a poll: the job id is unknown,
		// and the printer's up-time went back.
		{"forgotten after a restart", []fakeAnswer{printerUp(100), printerUp(0)},
			[]fakeAnswer{jobAt(jobProcessing, 0, 100), notFound}, drivers.Retry, ErrJobLost, "went back from 100s to 0s"},
		// After a restart the printer gave the job id to another job of
		// the same name, which completed: it is not ours.
		{"job id reused after a restart", []fakeAnswer{printerUp(100)},
			[]fakeAnswer{jobAt(jobProcessing, 0, 100), jobAt(jobCompleted, 2, 1)}, drivers.Retry, ErrJobLost, "restarted"},
		// A restart after the printer reported every sheet printed does
		// not unprint them.
		{"restart after every sheet", []fakeAnswer{printerUp(100)},
			[]fakeAnswer{jobAt(jobProcessing, 2, 100), jobAt(jobProcessing, 0, 0)}, drivers.OK, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := &fakePrinter{
				answers: map[int16]fakeAnswer{goipp.OperationPrintJob: jobCreated},
				script:  map[int16][]fakeAnswer{goipp.OperationGetPrinterAttributes: tt.printer, goipp.OperationGetJobAttributes: tt.job},
			}
			srv := httptest.NewServer(fake)
			defer srv.Close()
			d := newDriver(t, Config{URI: srv.URL + "/ipp/print", PollInterval: time.Millisecond})
			doc := drivers.Document{JobID: 1, Name: "run", Path: writeFile(t, "a.pdf", testpeer.PDF(2)), Format: "application/pdf", Pages: 2, Sheets: 2}
			var rec recorder
			out, err := d.Send(context.Background(), doc, rec.add)
			if out != tt.want || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("Send = %v, %v; want %v, %v", out, err, tt.want, tt.wantErr)
			}
			if tt.wantMsg != "" && !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not say %q", err, tt.wantMsg)
			}
			reports := rec.all()
			completed := len(reports) > 0 && reports[len(reports)-1].State == "completed"
			if completed != (out == drivers.OK) {
				t.Errorf("last progress %+v for outcome %v", reports, out)
			}
		})
	}
}

func TestUpClock(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	ms := time.Millisecond
	type reading struct {
		up        int
		sent, got time.Duration // after t0
	}
	tests := []struct {
		name     string
		readings []reading
		restart  bool // at the last reading
	}{
		{"steady", []reading{{10, 0, 5 * ms}, {11, time.Second, time.Second + 5*ms}, {70, time.Minute, time.Minute + 5*ms}}, false},
		{"second boundary", []reading{{10, 999 * ms, 1001 * ms}, {11, 1001 * ms, 1002 * ms}}, false},
		{"slow answer", []reading{{10, 0, 5 * ms}, {10, 500 * ms, 30 * time.Second}}, false},
		{"went back", []reading{{5, 0, 5 * ms}, {0, time.Second, time.Second + 5*ms}}, true},
		{"same second after a quick restart", []reading{{1, 0, 5 * ms}, {1, 900 * ms, 905 * ms}}, false},
		// Down for a minute, up for 10 s since: the start moved by 50 s.
		{"down longer than it was up", []reading{{5, 0, 5 * ms}, {10, time.Minute, time.Minute + 5*ms}}, true},
		// Epoch seconds (CUPS): a steady start far in the past.
		{"cups epoch", []reading{{1767268800, 0, 5 * ms}, {1767268860, time.Minute, time.Minute + 5*ms}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c upClock
			why := ""
			for _, r := range tt.readings {
				why = c.observe(r.up, t0.Add(r.sent), t0.Add(r.got))
			}
			if (why != "") != tt.restart {
				t.Errorf("observe = %q, want restart %v", why, tt.restart)
			}
		})
	}
}

// TestPrintJobRefused checks that a Print-Job the printer refused with an
// error status counts as not sent: it created no job and printed nothing.
func TestPrintJobRefused(t *testing.T) {
	tests := []struct {
		name    string
		answer  fakeAnswer
		notSent bool
	}{
		{"busy", fakeAnswer{status: goipp.StatusErrorBusy}, true},
		{"format error", fakeAnswer{status: goipp.StatusErrorDocumentFormatError}, true},
		{"http 503", fakeAnswer{httpCode: 503}, true},
		{"garbage answer", fakeAnswer{raw: []byte("<html>")}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := &fakePrinter{answers: map[int16]fakeAnswer{goipp.OperationGetPrinterAttributes: accepting, goipp.OperationPrintJob: tt.answer}}
			srv := httptest.NewServer(fake)
			defer srv.Close()
			d := newDriver(t, Config{URI: srv.URL + "/ipp/print"})
			doc := drivers.Document{JobID: 1, Path: writeFile(t, "a.pdf", testpeer.PDF(1)), Format: "application/pdf", Sheets: 1}
			out, err := d.Send(context.Background(), doc, nil)
			if out == drivers.OK || errors.Is(err, drivers.ErrNotSent) != tt.notSent {
				t.Errorf("Send = %v, %v; want not sent %v", out, err, tt.notSent)
			}
		})
	}
}
