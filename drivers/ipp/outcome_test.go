package ipp

import (
	"context"
	"errors"
	"fmt"
	"testing"

	goipp "github.com/phin1x/go-ipp"

	"github.com/omsd/omsd/drivers"
)

func TestOutcomeForStatus(t *testing.T) {
	tests := []struct {
		code int16
		want drivers.Outcome
	}{
		{goipp.StatusOk, drivers.OK},
		{goipp.StatusOkIgnoredOrSubstituted, drivers.OK},
		{goipp.StatusOkConflicting, drivers.OK},
		{goipp.StatusErrorDocumentFormatNotSupported, drivers.Failed},
		{goipp.StatusErrorBadRequest, drivers.Failed},
		{goipp.StatusErrorAttributesOrValues, drivers.Failed},
		{goipp.StatusErrorBusy, drivers.Retry},
		{goipp.StatusErrorNotAcceptingJobs, drivers.Retry},
		{goipp.StatusErrorTemporary, drivers.Retry},
		{goipp.StatusErrorServiceUnavailable, drivers.Retry},
		{goipp.StatusErrorTooManyJobs, drivers.Retry},
		{goipp.StatusErrorNotAuthorized, drivers.Hold},
		{goipp.StatusErrorForbidden, drivers.Hold},
		{goipp.StatusErrorNotAuthenticated, drivers.Hold},
		{goipp.StatusErrorInternal, drivers.Failed},
		{goipp.StatusErrorDocumentFormatError, drivers.Failed},
		{goipp.StatusRedirectionOtherSite, drivers.Failed},
		{0x7fff, drivers.Failed},
		{-1, drivers.Failed},
	}
	for _, tt := range tests {
		t.Run(StatusName(tt.code), func(t *testing.T) {
			if got := OutcomeForStatus(tt.code); got != tt.want {
				t.Errorf("OutcomeForStatus(%s) = %v, want %v", StatusName(tt.code), got, tt.want)
			}
		})
	}
}

func TestOutcomeForError(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		err  error
		want drivers.Outcome
	}{
		{"ipp status", context.Background(), &StatusError{Op: "Print-Job", Code: goipp.StatusErrorBusy}, drivers.Retry},
		{"wrapped ipp status", context.Background(), fmt.Errorf("x: %w", &StatusError{Code: goipp.StatusErrorForbidden}), drivers.Hold},
		{"http 401", context.Background(), &HTTPError{Code: 401}, drivers.Hold},
		{"http 503", context.Background(), &HTTPError{Code: 503}, drivers.Retry},
		{"http 404", context.Background(), &HTTPError{Code: 404}, drivers.Failed},
		{"untrusted certificate", context.Background(), fmt.Errorf("%w: x", ErrUntrustedCert), drivers.StopQueue},
		{"unreachable", context.Background(), fmt.Errorf("%w: x", drivers.ErrUnreachable), drivers.Retry},
		{"malformed answer", context.Background(), fmt.Errorf("%w: x", ErrBadResponse), drivers.Retry},
		{"canceled context wins", canceled, fmt.Errorf("%w: x", drivers.ErrUnreachable), drivers.Cancel},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := outcomeForError(tt.ctx, tt.err); got != tt.want {
				t.Errorf("outcomeForError(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

func TestJobStatusOutcome(t *testing.T) {
	tests := []struct {
		state   int
		want    drivers.Outcome
		done    bool
		wantErr error
	}{
		{jobPending, drivers.OK, false, nil},
		{jobHeld, drivers.OK, false, nil},
		{jobProcessing, drivers.OK, false, nil},
		{jobProcessingStopped, drivers.OK, false, nil},
		{jobCanceled, drivers.Cancel, true, ErrJobCanceled},
		{jobAborted, drivers.Failed, true, ErrJobAborted},
		{jobCompleted, drivers.OK, true, nil},
	}
	for _, tt := range tests {
		t.Run(stateName(tt.state), func(t *testing.T) {
			js := jobStatus{state: tt.state, reasons: []string{"job-canceled-at-device"}}
			out, done, err := js.outcome(1)
			if out != tt.want || done != tt.done || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Errorf("outcome = %v, %v, %v; want %v, %v, %v", out, done, err, tt.want, tt.done, tt.wantErr)
			}
		})
	}
}

func TestJobStatusProgress(t *testing.T) {
	simplex := drivers.Document{Pages: 10, Sheets: 10}
	duplex := drivers.Document{Pages: 19, Sheets: 10}
	tests := []struct {
		name        string
		doc         drivers.Document
		sheets, imp int
		sides       string
		copies      int
		want        int
		confirmed   bool
	}{
		{"nothing reported", simplex, -1, -1, "", 0, 0, false},
		{"sheets win", simplex, 4, 7, "two-sided-long-edge", 0, 4, true},
		{"impressions one-sided", simplex, -1, 7, "one-sided", 0, 7, true},
		// 7 impressions two-sided: 3 whole sheets and the front of a fourth.
		{"impressions two-sided", simplex, -1, 7, "two-sided-short-edge", 0, 3, true},
		{"impressions default sides", simplex, -1, 3, "", 0, 3, true},
		// A document planned duplex counts two pages to a sheet, whatever
		// the printer is told: 7 pages are at most 3 whole sheets.
		{"duplex document, default sides", duplex, -1, 7, "", 0, 3, true},
		{"duplex document, one-sided", duplex, -1, 7, "one-sided", 0, 3, true},
		// Counts cover every copy: 7 sheets of 2 copies are 3 of the first.
		{"sheets of two copies", simplex, 7, -1, "", 2, 3, true},
		{"impressions of two copies", simplex, -1, 9, "one-sided", 2, 4, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			js := jobStatus{state: jobProcessing, sheets: tt.sheets, impressions: tt.imp}
			p := js.progress(tt.doc, tt.sides, tt.copies)
			if p.SheetsDone != tt.want || p.Sheets != 10 || p.State != "processing" || p.Confirmed != tt.confirmed {
				t.Errorf("progress = %+v, want %d of 10 sheets, processing", p, tt.want)
			}
		})
	}
}

func TestParseURI(t *testing.T) {
	tests := []struct {
		in, printerURI, endpoint string
		ok                       bool
	}{
		{"ipp://printer.example/ipp/print", "ipp://printer.example:631/ipp/print", "http://printer.example:631/ipp/print", true},
		{"ipp://localhost:8631/ipp/print", "ipp://localhost:8631/ipp/print", "http://localhost:8631/ipp/print", true},
		{"IPPS://printer.example/printers/q", "ipps://printer.example:631/printers/q", "https://printer.example:631/printers/q", true},
		{"http://10.0.0.5:631/ipp", "ipp://10.0.0.5:631/ipp", "http://10.0.0.5:631/ipp", true},
		{"https://[::1]:8443/ipp", "ipps://[::1]:8443/ipp", "https://[::1]:8443/ipp", true},
		{"ipp://[::1]", "ipp://[::1]:631/", "http://[::1]:631/", true},
		{"lpd://printer/queue", "", "", false},
		{"ipp:///ipp/print", "", "", false},
		{"printer.example", "", "", false},
		{"ipp://bad host/", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, e, err := parseURI(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("parseURI(%q) error %v, want ok=%v", tt.in, err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrConfig) {
				t.Errorf("error %v does not wrap ErrConfig", err)
			}
			if p != tt.printerURI || e != tt.endpoint {
				t.Errorf("parseURI(%q) = %q, %q; want %q, %q", tt.in, p, e, tt.printerURI, tt.endpoint)
			}
		})
	}
}

func TestNewChecksConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"minimal", Config{URI: "ipp://p/ipp/print"}, true},
		{"all options", Config{URI: "ipp://p/ipp/print", Sides: "two-sided-long-edge", Copies: 2, Media: "iso_a4_210x297mm"}, true},
		{"bad sides", Config{URI: "ipp://p/ipp/print", Sides: "duplex"}, false},
		{"negative copies", Config{URI: "ipp://p/ipp/print", Copies: -1}, false},
		{"negative timeout", Config{URI: "ipp://p/ipp/print", Timeout: -1}, false},
		{"long media", Config{URI: "ipp://p/ipp/print", Media: string(make([]byte, 300))}, false},
		{"bad scheme", Config{URI: "socket://p:9100"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := New(tt.cfg, nopLog)
			if (err == nil) != tt.ok {
				t.Fatalf("New error %v, want ok=%v", err, tt.ok)
			}
			if err == nil && (d.cfg.PollInterval != DefaultPollInterval || d.cfg.Timeout != DefaultTimeout || d.cfg.Username != DefaultUsername) {
				t.Errorf("defaults not filled: %+v", d.cfg)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 5, "abc"},
		{"abcdef", 3, "abc"},
		{"aäb", 2, "a"}, // ä is two bytes; do not split it
		{"aäb", 3, "aä"},
	}
	for _, tt := range tests {
		if got := truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

// FuzzDecode checks malformed answers give errors, never panics.
func FuzzDecode(f *testing.F) {
	ok, _ := goipp.NewResponse(goipp.StatusOk, 1).Encode()
	f.Add(ok)
	f.Add([]byte{2, 0, 0, 0, 0, 0, 0, 1, 1, 0x44, 0xff, 0xff})            // negative name length
	f.Add([]byte{2, 0, 0, 0, 0, 0, 0, 1, 1, 0x31, 0, 1, 'a', 0xff, 0xfe}) // negative date length
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = decode("Test", data)
	})
}

func TestDecodeMalformed(t *testing.T) {
	tests := map[string][]byte{
		"empty":                {},
		"short header":         {2, 0, 0},
		"negative name length": {2, 0, 0, 0, 0, 0, 0, 1, 1, 0x44, 0xff, 0xff},
		"negative date length": {2, 0, 0, 0, 0, 0, 0, 1, 1, 0x31, 0, 1, 'a', 0xff, 0xfe},
		"bad group":            {2, 0, 0, 0, 0, 0, 0, 1, 0x0f},
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := decode("Test", data); !errors.Is(err, ErrBadResponse) {
				t.Errorf("decode = %v, want ErrBadResponse", err)
			}
		})
	}
}
