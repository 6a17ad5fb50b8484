package ipp

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/OpenPrinting/goipp"
	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
)

// fakeBackend keeps submitted jobs in memory; submitted is closed (when
// set) only after Submit returned, and gate holds Submit until closed.
type fakeBackend struct {
	mu     sync.Mutex
	jobs   []api.Job
	docs   map[int64][]byte
	gate   chan struct{}
	failed error
}

func (f *fakeBackend) Submit(ctx context.Context, opt api.SubmitOptions, body io.Reader) (api.Job, error) {
	data, err := io.ReadAll(body)
	if err != nil {
		return api.Job{}, err
	}
	if f.gate != nil {
		<-f.gate
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failed != nil {
		return api.Job{}, f.failed
	}
	j := api.Job{ID: int64(len(f.jobs) + 1), Name: opt.Name, Workflow: opt.Workflow, State: "pending",
		StateReasons: []string{"job-queued"}, Source: opt.Source, User: opt.User, Origin: opt.Origin, Metadata: opt.Metadata, Copies: opt.Copies, Created: time.Now()}
	f.jobs = append(f.jobs, j)
	if f.docs == nil {
		f.docs = map[int64][]byte{}
	}
	f.docs[j.ID] = data
	return j, nil
}

func (f *fakeBackend) Job(ctx context.Context, id int64) (api.Job, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if id < 1 || int(id) > len(f.jobs) {
		return api.Job{}, api.ErrNotFound
	}
	return f.jobs[id-1], nil
}

func (f *fakeBackend) Jobs(ctx context.Context, q api.JobQuery) ([]api.Job, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]api.Job(nil), f.jobs...), nil
}

func (f *fakeBackend) Cancel(ctx context.Context, id int64) (api.Job, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.jobs[id-1].State = "canceled"
	return f.jobs[id-1], nil
}

func testServer(t *testing.T, b Backend) *httptest.Server {
	t.Helper()
	cfg := config.Default()
	cfg.Receivers.IPP.Listen = "127.0.0.1:0"
	cfg.Receivers.DefaultQueue = "" // unknown printers are refused
	s, err := New(context.Background(), Options{Config: cfg, Backend: b, Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv
}

// encodeRequest encodes an IPP request to queue with extra operation attributes.
func encodeRequest(t *testing.T, srv *httptest.Server, op goipp.Op, queue string, extra ...goipp.Attribute) []byte {
	t.Helper()
	m := goipp.NewRequest(goipp.DefaultVersion, op, 1)
	m.Operation.Add(goipp.MakeAttribute("attributes-charset", goipp.TagCharset, goipp.String("utf-8")))
	m.Operation.Add(goipp.MakeAttribute("attributes-natural-language", goipp.TagLanguage, goipp.String("en")))
	m.Operation.Add(goipp.MakeAttribute("printer-uri", goipp.TagURI, goipp.String(srv.URL+"/ipp/print/"+queue)))
	for _, a := range extra {
		m.Operation.Add(a)
	}
	b, err := m.EncodeBytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func post(t *testing.T, srv *httptest.Server, queue string, body []byte) *goipp.Message {
	t.Helper()
	resp, err := http.Post(srv.URL+"/ipp/print/"+queue, "application/ipp", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %d", resp.StatusCode)
	}
	var m goipp.Message
	if err := m.Decode(resp.Body); err != nil {
		t.Fatal(err)
	}
	return &m
}

var pdf = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

func TestPrintJobAnswersAfterSubmit(t *testing.T) {
	b := &fakeBackend{gate: make(chan struct{})}
	srv := testServer(t, b)
	answered := make(chan *goipp.Message, 1)
	go func() {
		answered <- post(t, srv, "default", append(encodeRequest(t, srv, goipp.OpPrintJob, "default",
			goipp.MakeAttribute("requesting-user-name", goipp.TagName, goipp.String("ann"))), pdf...))
	}()
	select {
	case <-answered:
		t.Fatal("Print-Job was answered before Submit returned")
	case <-time.After(200 * time.Millisecond):
	}
	close(b.gate)
	m := <-answered
	if goipp.Status(m.Code) != goipp.StatusOk {
		t.Fatalf("status %v", goipp.Status(m.Code))
	}
	if !bytes.Equal(b.docs[1], pdf) || b.jobs[0].User != "ann" || b.jobs[0].Source != "ipp" || b.jobs[0].Origin != "ipp ann@127.0.0.1 queue default" {
		t.Errorf("job %+v, document %q", b.jobs[0], b.docs[1])
	}
}

func TestDocumentChecks(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(pdf)
	zw.Close()
	for _, c := range []struct {
		name  string
		queue string
		attrs []goipp.Attribute
		doc   []byte
		want  goipp.Status
	}{
		{"pdf", "default", nil, pdf, goipp.StatusOk},
		{"gzip", "default", []goipp.Attribute{goipp.MakeAttribute("compression", goipp.TagKeyword, goipp.String("gzip"))}, gz.Bytes(), goipp.StatusOk},
		{"gzip lie", "default", []goipp.Attribute{goipp.MakeAttribute("compression", goipp.TagKeyword, goipp.String("gzip"))}, pdf, goipp.StatusErrorCompressionError},
		{"compress", "default", []goipp.Attribute{goipp.MakeAttribute("compression", goipp.TagKeyword, goipp.String("compress"))}, pdf, goipp.StatusErrorCompressionNotSupported},
		{"octet-stream sniffed", "default", []goipp.Attribute{goipp.MakeAttribute("document-format", goipp.TagMimeType, goipp.String(formatOctets))}, pdf, goipp.StatusOk},
		{"pdf to afp queue", "afp", nil, pdf, goipp.StatusErrorDocumentFormatNotSupported},
		{"postscript", "default", []goipp.Attribute{goipp.MakeAttribute("document-format", goipp.TagMimeType, goipp.String("application/postscript"))}, pdf, goipp.StatusErrorDocumentFormatNotSupported},
		{"no such queue", "nope", nil, pdf, goipp.StatusErrorNotFound},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := testServer(t, &fakeBackend{})
			m := post(t, srv, c.queue, append(encodeRequest(t, srv, goipp.OpPrintJob, c.queue, c.attrs...), c.doc...))
			if got := goipp.Status(m.Code); got != c.want {
				t.Errorf("status %v, want %v", got, c.want)
			}
		})
	}
}

func TestSubmitFailureIsAnIPPStatus(t *testing.T) {
	for _, c := range []struct {
		err  error
		want goipp.Status
	}{
		{fmt.Errorf("%w: intake paused", api.ErrUnavailable), goipp.StatusErrorBusy},
		{errors.New("disk on fire"), goipp.StatusErrorInternal},
	} {
		srv := testServer(t, &fakeBackend{failed: c.err})
		m := post(t, srv, "default", append(encodeRequest(t, srv, goipp.OpPrintJob, "default"), pdf...))
		if got := goipp.Status(m.Code); got != c.want {
			t.Errorf("%v: status %v, want %v", c.err, got, c.want)
		}
	}
}

func TestCreateJobIDsSurviveARestart(t *testing.T) {
	b := &fakeBackend{}
	srv := testServer(t, b)
	m := post(t, srv, "default", encodeRequest(t, srv, goipp.OpCreateJob, "default"))
	id := jobID(t, m)
	if id < CreatedJobBase {
		t.Fatalf("created job-id %d, want at least %d", id, CreatedJobBase)
	}
	m = post(t, srv, "default", append(encodeRequest(t, srv, goipp.OpSendDocument, "default",
		goipp.MakeAttribute("job-id", goipp.TagInteger, goipp.Integer(id)),
		goipp.MakeAttribute("last-document", goipp.TagBoolean, goipp.Boolean(true))), pdf...))
	if goipp.Status(m.Code) != goipp.StatusOk || jobID(t, m) != id {
		t.Fatalf("Send-Document: %v, job-id %d", goipp.Status(m.Code), jobID(t, m))
	}
	// A new server (omsd restarted) finds the job by the id in its origin
	// and hands out ids above it.
	srv2 := testServer(t, b)
	m = post(t, srv2, "default", encodeRequest(t, srv2, goipp.OpGetJobAttributes, "default",
		goipp.MakeAttribute("job-id", goipp.TagInteger, goipp.Integer(id))))
	if goipp.Status(m.Code) != goipp.StatusOk || jobID(t, m) != id {
		t.Errorf("Get-Job-Attributes after restart: %v", goipp.Status(m.Code))
	}
	if next := jobID(t, post(t, srv2, "default", encodeRequest(t, srv2, goipp.OpCreateJob, "default"))); next <= id {
		t.Errorf("created job-id %d after restart, want above %d", next, id)
	}
}

func jobID(t *testing.T, m *goipp.Message) int {
	t.Helper()
	for _, g := range m.Groups {
		for _, a := range g.Attrs {
			if a.Name == "job-id" {
				return int(a.Values[0].V.(goipp.Integer))
			}
		}
	}
	return 0
}

func TestKeyword(t *testing.T) {
	for in, want := range map[string]string{
		"job-completed-successfully": "job-completed-successfully",
		"Document Format Error":      "document-format-error",
		"":                           "",
		"42-bad":                     "bad",
	} {
		if got := keyword(in); got != want {
			t.Errorf("keyword(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNotIPPIsAnHTTPError(t *testing.T) {
	srv := testServer(t, &fakeBackend{})
	resp, err := http.Post(srv.URL+"/ipp/print/default", "text/plain", strings.NewReader("hello"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("HTTP %d", resp.StatusCode)
	}
}

func TestJobSentAgainIsTakenOnce(t *testing.T) {
	b := &fakeBackend{}
	srv := testServer(t, b)
	uuid := goipp.MakeAttribute("job-uuid", goipp.TagURI, goipp.String("urn:uuid:536bbc6b-ca15-35e8-5c62-f2b91c5b41ac"))
	first := post(t, srv, "default", append(encodeRequest(t, srv, goipp.OpPrintJob, "default", uuid), pdf...))
	again := post(t, srv, "default", append(encodeRequest(t, srv, goipp.OpPrintJob, "default", uuid), pdf...))
	if goipp.Status(again.Code) != goipp.StatusOk || jobID(t, again) != jobID(t, first) || len(b.jobs) != 1 {
		t.Errorf("sent again: %v, job %d (first %d), %d jobs", goipp.Status(again.Code), jobID(t, again), jobID(t, first), len(b.jobs))
	}
	// Create-Job + Send-Document of the same job: acknowledged, not taken.
	m := post(t, srv, "default", encodeRequest(t, srv, goipp.OpCreateJob, "default", uuid))
	id := jobID(t, m)
	m = post(t, srv, "default", append(encodeRequest(t, srv, goipp.OpSendDocument, "default",
		goipp.MakeAttribute("job-id", goipp.TagInteger, goipp.Integer(id)),
		goipp.MakeAttribute("last-document", goipp.TagBoolean, goipp.Boolean(true))), pdf...))
	if goipp.Status(m.Code) != goipp.StatusOk || len(b.jobs) != 1 {
		t.Errorf("Send-Document sent again: %v, %d jobs", goipp.Status(m.Code), len(b.jobs))
	}
	// Without job-uuid, the same document is a new job.
	post(t, srv, "default", append(encodeRequest(t, srv, goipp.OpPrintJob, "default"), pdf...))
	if len(b.jobs) != 2 {
		t.Errorf("%d jobs, want 2", len(b.jobs))
	}
}
