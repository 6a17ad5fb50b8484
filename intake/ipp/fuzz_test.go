package ipp

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/OpenPrinting/goipp"
	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
)

// FuzzDecodeRequest: whatever arrives, DecodeRequest returns a message or
// an error wrapping ErrMalformed or ErrAttributesTooLarge, never panics,
// reads no more than MaxRequestAttributes, and a message it returns
// encodes and decodes again.
func FuzzDecodeRequest(f *testing.F) {
	for _, op := range []goipp.Op{goipp.OpPrintJob, goipp.OpGetJobs, goipp.OpGetPrinterAttributes} {
		m := goipp.NewRequest(goipp.DefaultVersion, op, 1)
		m.Operation.Add(goipp.MakeAttribute("attributes-charset", goipp.TagCharset, goipp.String("utf-8")))
		m.Operation.Add(goipp.MakeAttribute("attributes-natural-language", goipp.TagLanguage, goipp.String("en")))
		m.Operation.Add(goipp.MakeAttribute("printer-uri", goipp.TagURI, goipp.String("ipp://h/ipp/print/q")))
		m.Operation.Add(goipp.MakeAttr("requested-attributes", goipp.TagKeyword, goipp.String("job-id"), goipp.String("all")))
		m.Job.Add(goipp.MakeAttrCollection("media-col", goipp.MakeAttribute("media-type", goipp.TagKeyword, goipp.String("plain"))))
		b, _ := m.EncodeBytes()
		f.Add(append(b, "%PDF-1.4"...))
	}
	f.Add([]byte{})
	f.Add([]byte{2, 0, 0, 2, 0, 0, 0, 1, 1, 0x34, 0, 1, 'a', 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &countingReader{r: bytes.NewReader(data)}
		m, err := DecodeRequest(r)
		if r.n > MaxRequestAttributes {
			t.Fatalf("read %d bytes", r.n)
		}
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrAttributesTooLarge) {
				t.Fatalf("error %v wraps neither sentinel", err)
			}
			return
		}
		b, err := m.EncodeBytes()
		if err != nil {
			return // goipp decodes some values it will not encode
		}
		if _, err := DecodeRequest(bytes.NewReader(b)); err != nil {
			t.Fatalf("re-decoding an encoded message: %v", err)
		}
	})
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// FuzzServeHTTP: any request body gets an HTTP 200 with an IPP response
// that decodes (or, for a body that is not IPP at all, still an IPP
// bad-request), and the handler never panics.
func FuzzServeHTTP(f *testing.F) {
	for _, op := range []goipp.Op{goipp.OpPrintJob, goipp.OpCreateJob, goipp.OpSendDocument, goipp.OpGetJobs,
		goipp.OpGetJobAttributes, goipp.OpCancelJob, goipp.OpGetPrinterAttributes, goipp.OpCloseJob} {
		m := goipp.NewRequest(goipp.DefaultVersion, op, 1)
		m.Operation.Add(goipp.MakeAttribute("attributes-charset", goipp.TagCharset, goipp.String("utf-8")))
		m.Operation.Add(goipp.MakeAttribute("attributes-natural-language", goipp.TagLanguage, goipp.String("en")))
		m.Operation.Add(goipp.MakeAttribute("printer-uri", goipp.TagURI, goipp.String("ipp://h/ipp/print/default")))
		m.Operation.Add(goipp.MakeAttribute("job-id", goipp.TagInteger, goipp.Integer(1)))
		m.Operation.Add(goipp.MakeAttribute("last-document", goipp.TagBoolean, goipp.Boolean(true)))
		b, _ := m.EncodeBytes()
		f.Add(append(b, pdf...))
	}
	cfg := config.Default()
	s, err := New(context.Background(), Options{Config: cfg, Backend: &fakeBackend{}, Log: zerolog.Nop()})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/ipp/print/default", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/ipp")
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("HTTP %d", rec.Code)
		}
		var m goipp.Message
		if err := m.Decode(rec.Body); err != nil {
			t.Fatalf("response does not decode: %v", err)
		}
	})
}
