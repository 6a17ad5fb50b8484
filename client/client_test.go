package client_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/client"
	"github.com/omsd/omsd/localapi"
	"github.com/omsd/omsd/localapi/localapitest"
)

func newClient(t *testing.T) (*client.Client, *localapitest.Backend) {
	b := localapitest.New()
	return &client.Client{Socket: localapitest.Serve(t, b)}, b
}

func TestReads(t *testing.T) {
	c, _ := newClient(t)
	ctx := context.Background()
	st, err := c.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Version != "0.1.0-test" || st.Jobs["held"] != 1 || !st.Started.Equal(localapitest.T0) || st.HotFolders[0].Workflow != "invoices" {
		t.Errorf("status = %+v", st)
	}
	jobs, err := c.Jobs(ctx, api.JobQuery{})
	if err != nil || len(jobs) != 2 {
		t.Fatalf("jobs = %v, %v; want 2 jobs", jobs, err)
	}
	held, err := c.Jobs(ctx, api.JobQuery{States: []string{"held", "stopped"}})
	if err != nil || len(held) != 1 || held[0].ID != 2 {
		t.Fatalf("held jobs = %+v, %v; want job 2", held, err)
	}
	d, err := c.Job(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "inv.pdf" || len(d.PiecesDetail) != 2 || d.PiecesDetail[0].Meta["name"] != "Ann" || d.Events[0].Message != "taken in" {
		t.Errorf("job detail = %+v", d)
	}
	ps, err := c.Printers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0].URI != "ipp://localhost:8631/ipp/print" || !ps[0].AcceptingJobs || ps[1].Error != "directory missing" {
		t.Errorf("printers = %+v", ps)
	}
}

func TestSubmit(t *testing.T) {
	c, b := newClient(t)
	opt := api.SubmitOptions{Name: "a b.pdf", Workflow: "invoices", Hold: true}
	j, err := c.Submit(context.Background(), opt, strings.NewReader("%PDF-1.7\n"))
	if err != nil {
		t.Fatal(err)
	}
	if j.ID != 3 || j.State != "held" || j.Name != "a b.pdf" {
		t.Errorf("job = %+v", j)
	}
	gotOpt, body := b.Submitted()
	if !reflect.DeepEqual(gotOpt, opt) || string(body) != "%PDF-1.7\n" {
		t.Errorf("backend got %+v %q", gotOpt, body)
	}
}

func TestErrors(t *testing.T) {
	c, _ := newClient(t)
	ctx := context.Background()
	tests := []struct {
		name    string
		call    func() error
		want    error
		wantMsg string
	}{
		{"job not found", func() error { _, err := c.Job(ctx, 99); return err }, api.ErrNotFound, "job 99"},
		{"hold conflict", func() error { _, err := c.Hold(ctx, 2); return err }, api.ErrConflict, "job 2 is held"},
		{"release conflict", func() error { _, err := c.Release(ctx, 1); return err }, api.ErrConflict, "job 1 is pending"},
		{"cancel not found", func() error { _, err := c.Cancel(ctx, 7); return err }, api.ErrNotFound, "job 7"},
		{"bad state", func() error { _, err := c.Jobs(ctx, api.JobQuery{States: []string{"done"}}); return err }, api.ErrBadRequest, `bad state "done"`},
		{"bad workflow", func() error {
			_, err := c.Submit(ctx, api.SubmitOptions{Workflow: "nosuch"}, strings.NewReader("x"))
			return err
		}, api.ErrBadRequest, "nosuch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("err = %q, want it to contain %q", err, tt.wantMsg)
			}
		})
	}
}

func TestServerError(t *testing.T) {
	c, _ := newClient(t)
	_, err := c.Submit(context.Background(), api.SubmitOptions{Workflow: "broken"}, strings.NewReader("x"))
	if err == nil || !strings.Contains(err.Error(), "disk on fire") || !strings.Contains(err.Error(), "HTTP 500") {
		t.Fatalf("err = %v, want the server's message and status", err)
	}
	for _, s := range []error{api.ErrNotFound, api.ErrConflict, api.ErrBadRequest, api.ErrDaemonNotRunning} {
		if errors.Is(err, s) {
			t.Errorf("a 500 maps to %v", s)
		}
	}
}

func TestActions(t *testing.T) {
	c, b := newClient(t)
	ctx := context.Background()
	steps := []struct {
		name string
		fn   func(context.Context, int64) (api.Job, error)
		id   int64
		want string
	}{
		{"hold", c.Hold, 1, "held"},
		{"release", c.Release, 1, "pending"},
		{"cancel", c.Cancel, 2, "canceled"},
	}
	for _, s := range steps {
		j, err := s.fn(ctx, s.id)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if j.State != s.want || b.JobState(s.id) != s.want {
			t.Errorf("%s: state %q (backend %q), want %q", s.name, j.State, b.JobState(s.id), s.want)
		}
	}
}

func TestDaemonNotRunning(t *testing.T) {
	dir := localapitest.SocketDir(t)
	stale := filepath.Join(dir, "stale.sock")
	ln, err := net.Listen("unix", stale)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	tests := []struct{ name, socket string }{
		{"no socket file", filepath.Join(dir, "missing.sock")},
		{"nobody listening", stale},
		{"no directory", filepath.Join(dir, "nodir", "omsd.sock")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &client.Client{Socket: tt.socket}
			_, err := c.Status(context.Background())
			if !errors.Is(err, api.ErrDaemonNotRunning) {
				t.Fatalf("err = %v, want ErrDaemonNotRunning", err)
			}
			want := `omsd is not running (no daemon at ` + tt.socket + `); start it with "omsd" (or "go run ./cmd/omsd") in the directory that holds omsd-data, or pass --socket`
			if err.Error() != want {
				t.Errorf("err = %q\nwant  %q", err, want)
			}
			if _, err := c.Watch(context.Background(), 0); !errors.Is(err, api.ErrDaemonNotRunning) {
				t.Errorf("Watch err = %v, want ErrDaemonNotRunning", err)
			}
		})
	}
}

func TestDefaultSocket(t *testing.T) {
	t.Setenv("OMSD_SOCKET", "")
	if got := client.DefaultSocket(); got != "omsd-data/omsd.sock" {
		t.Errorf("DefaultSocket() = %q", got)
	}
	t.Setenv("OMSD_SOCKET", "/run/omsd/x.sock")
	if got := client.DefaultSocket(); got != "/run/omsd/x.sock" {
		t.Errorf("DefaultSocket() with $OMSD_SOCKET = %q", got)
	}
	var c client.Client
	_, err := c.Status(context.Background())
	if !errors.Is(err, api.ErrDaemonNotRunning) || !strings.Contains(err.Error(), "/run/omsd/x.sock") {
		t.Errorf("zero Client err = %v, want not running at $OMSD_SOCKET", err)
	}
}

// TestTransport checks that a Client with a Transport sends through it,
// here straight into the handler.
func TestTransport(t *testing.T) {
	srv := httptest.NewServer(localapi.NewHandler(localapitest.New(), zerolog.Nop()))
	defer srv.Close()
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r.URL.Scheme, r.URL.Host = "http", strings.TrimPrefix(srv.URL, "http://")
		return http.DefaultTransport.RoundTrip(r)
	})
	c := &client.Client{Socket: "/nonexistent", Transport: rt}
	ps, err := c.Printers(context.Background())
	if err != nil || len(ps) != 2 {
		t.Fatalf("printers = %v, %v", ps, err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestWatch(t *testing.T) {
	c, b := newClient(t)
	ctx := context.Background()
	w, err := c.Watch(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if !b.WaitSubscribed(1, 5*time.Second) {
		t.Fatal("no subscription")
	}
	sent := []api.Event{
		{Seq: 1, Time: localapitest.T0, Job: 3, Type: api.EventState, State: "processing", Reasons: []string{"job-printing"}},
		{Seq: 2, Time: localapitest.T0, Job: 4, Type: api.EventInfo, Message: "other job"},
		{Seq: 3, Time: localapitest.T0, Job: 3, Type: api.EventProgress, SheetsDone: 140, Sheets: 300},
	}
	for _, ev := range sent {
		b.Emit(ev)
	}
	for _, want := range []api.Event{sent[0], sent[2]} {
		got, err := w.Next()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("event = %+v, want %+v", got, want)
		}
	}
	b.End()
	if _, err := w.Next(); err != io.EOF {
		t.Errorf("Next after the stream ended = %v, want io.EOF", err)
	}
}

func TestWatchContext(t *testing.T) {
	c, b := newClient(t)
	ctx, cancel := context.WithCancel(context.Background())
	w, err := c.Watch(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if !b.WaitSubscribed(1, 5*time.Second) {
		t.Fatal("no subscription")
	}
	errc := make(chan error, 1)
	go func() { _, err := w.Next(); errc <- err }()
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Next after cancel = %v, want context.Canceled", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Next did not return after the context ended")
	}
}
