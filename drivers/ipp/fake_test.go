package ipp

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	goipp "github.com/phin1x/go-ipp"

	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/internal/testpeer"
)

// fakeAnswer is how the fake printer answers one operation.
type fakeAnswer struct {
	httpCode int    // non-200 HTTP answer, if set
	raw      []byte // raw body instead of an IPP response, if set
	status   int16
	printer  goipp.Attributes
	job      goipp.Attributes
}

// fakePrinter answers IPP requests by operation, for unit tests of the
// driver's handling of answers that a real test printer cannot be made to
// give. It records the operations it saw.
type fakePrinter struct {
	answers map[int16]fakeAnswer
	// script, when it has answers for an operation, answers it with them
	// in order, the last one again once they run out.
	script map[int16][]fakeAnswer
	mu     sync.Mutex
	ops    []int16
}

// answer picks the answer to op; f.mu is held.
func (f *fakePrinter) answer(op int16) (fakeAnswer, bool) {
	if as := f.script[op]; len(as) > 0 {
		a := as[0]
		if len(as) > 1 {
			f.script[op] = as[1:]
		}
		return a, true
	}
	a, ok := f.answers[op]
	return a, ok
}

func (f *fakePrinter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if len(body) < 8 {
		http.Error(w, "short request", http.StatusBadRequest)
		return
	}
	op := int16(binary.BigEndian.Uint16(body[2:4]))
	f.mu.Lock()
	f.ops = append(f.ops, op)
	a, ok := f.answer(op)
	f.mu.Unlock()
	switch {
	case !ok:
		a = fakeAnswer{status: goipp.StatusErrorOperationNotSupported}
	case a.httpCode != 0:
		http.Error(w, "refused", a.httpCode)
		return
	case a.raw != nil:
		w.Write(a.raw)
		return
	}
	resp := goipp.NewResponse(a.status, int32(binary.BigEndian.Uint32(body[4:8])))
	if a.printer != nil {
		resp.PrinterAttributes = append(resp.PrinterAttributes, a.printer)
	}
	if a.job != nil {
		resp.JobAttributes = append(resp.JobAttributes, a.job)
	}
	data, err := resp.Encode()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", goipp.ContentTypeIPP)
	w.Write(data)
}

func (f *fakePrinter) sent(op int16) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, o := range f.ops {
		if o == op {
			return true
		}
	}
	return false
}

func attr(name string, tag int8, v any) goipp.Attributes {
	return goipp.Attributes{name: {{Tag: tag, Name: name, Value: v}}}
}

var (
	accepting    = fakeAnswer{printer: attr(goipp.AttributePrinterIsAcceptingJobs, goipp.TagBoolean, true)}
	notAccepting = fakeAnswer{printer: attr(goipp.AttributePrinterIsAcceptingJobs, goipp.TagBoolean, false)}
	jobCreated   = fakeAnswer{job: attr(goipp.AttributeJobID, goipp.TagInteger, 7)}
)

func TestSendAnswers(t *testing.T) {
	tests := []struct {
		name      string
		answers   map[int16]fakeAnswer
		want      drivers.Outcome
		wantErr   error
		printSent bool
	}{
		{"not accepting jobs", map[int16]fakeAnswer{goipp.OperationGetPrinterAttributes: notAccepting},
			drivers.Retry, ErrNotAccepting, false},
		{"http 401", map[int16]fakeAnswer{goipp.OperationGetPrinterAttributes: {httpCode: 401}},
			drivers.Hold, nil, false},
		{"garbage answer", map[int16]fakeAnswer{goipp.OperationGetPrinterAttributes: {raw: []byte("<html>")}},
			drivers.Retry, ErrBadResponse, false},
		{"busy", map[int16]fakeAnswer{goipp.OperationGetPrinterAttributes: accepting,
			goipp.OperationPrintJob: {status: goipp.StatusErrorBusy}}, drivers.Retry, nil, true},
		{"not authorized", map[int16]fakeAnswer{goipp.OperationGetPrinterAttributes: accepting,
			goipp.OperationPrintJob: {status: goipp.StatusErrorNotAuthorized}}, drivers.Hold, nil, true},
		{"bad request", map[int16]fakeAnswer{goipp.OperationGetPrinterAttributes: accepting,
			goipp.OperationPrintJob: {status: goipp.StatusErrorBadRequest}}, drivers.Failed, nil, true},
		{"no job-id", map[int16]fakeAnswer{goipp.OperationGetPrinterAttributes: accepting,
			goipp.OperationPrintJob: {}}, drivers.OK, nil, true},
		{"job forgotten at once", map[int16]fakeAnswer{goipp.OperationGetPrinterAttributes: accepting,
			goipp.OperationPrintJob: jobCreated, goipp.OperationGetJobAttributes: {status: goipp.StatusErrorNotFound}},
			drivers.Retry, ErrJobLost, true},
		{"substituted attributes", map[int16]fakeAnswer{goipp.OperationGetPrinterAttributes: accepting,
			goipp.OperationPrintJob:         {status: goipp.StatusOkIgnoredOrSubstituted, job: jobCreated.job},
			goipp.OperationGetJobAttributes: {job: attr(goipp.AttributeJobState, goipp.TagEnum, jobCompleted)}},
			drivers.OK, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := &fakePrinter{answers: tt.answers}
			srv := httptest.NewServer(fake)
			defer srv.Close()
			d := newDriver(t, Config{URI: srv.URL + "/ipp/print"})
			doc := drivers.Document{JobID: 1, Path: writeFile(t, "a.pdf", testpeer.PDF(1)), Format: "application/pdf", Sheets: 1}
			out, err := d.Send(context.Background(), doc, nil)
			if out != tt.want || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) || (out == drivers.OK) != (err == nil) {
				t.Errorf("Send = %v, %v; want %v, %v", out, err, tt.want, tt.wantErr)
			}
			if fake.sent(goipp.OperationPrintJob) != tt.printSent {
				t.Errorf("Print-Job sent = %v, want %v", !tt.printSent, tt.printSent)
			}
		})
	}
}
