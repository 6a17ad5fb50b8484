package lpd

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
)

// spool stands in for intake's Submit: it keeps a job only when its whole
// body was read without error, as Submit does.
type spool struct {
	mu       sync.Mutex
	jobs     []api.Job
	bodies   map[int64][]byte
	opts     map[int64]api.SubmitOptions
	canceled []int64
	fail     error // returned by a Submit after reading the body,
	failSkip int   // after this many more submits succeeded
}

func (s *spool) Submit(ctx context.Context, opt api.SubmitOptions, body io.Reader) (api.Job, error) {
	b, err := io.ReadAll(body)
	if err != nil {
		return api.Job{}, fmt.Errorf("upload: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil && s.failSkip > 0 {
		s.failSkip--
	} else if s.fail != nil {
		err, s.fail = s.fail, nil
		return api.Job{}, err
	}
	if s.bodies == nil {
		s.bodies, s.opts = map[int64][]byte{}, map[int64]api.SubmitOptions{}
	}
	j := api.Job{ID: int64(len(s.jobs) + 1), Name: opt.Name, Workflow: opt.Workflow, State: "pending", User: opt.User, Origin: opt.Origin, Source: opt.Source,
		Metadata: opt.Metadata, Created: time.Now()}
	if opt.Hold {
		j.State = "held"
	}
	s.jobs = append(s.jobs, j)
	s.bodies[j.ID], s.opts[j.ID] = b, opt
	return j, nil
}

func (s *spool) Jobs(ctx context.Context, q api.JobQuery) ([]api.Job, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []api.Job
	for _, j := range s.jobs {
		if j.State != "canceled" {
			out = append(out, j)
		}
	}
	return out, nil
}

func (s *spool) Cancel(ctx context.Context, id int64) (api.Job, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.canceled = append(s.canceled, id)
	s.jobs[id-1].State = "canceled"
	return s.jobs[id-1], nil
}

func (s *spool) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.jobs)
}

// testServer is a receiver on a loopback port.
type testServer struct {
	*Server
	addr  string
	spool *spool
	stage string
}

func testReceivers() config.Receivers {
	return config.Receivers{
		Queues: []config.ReceiverQueue{
			{Name: "stmts", Workflow: "default", User: "batch", Metadata: map[string]string{"channel": "print"}},
			{Name: "hold", Workflow: "letters", Hold: true},
		},
		DefaultQueue: "stmts",
		LPD: config.LPDReceiver{Listen: "127.0.0.1:0", MaxDocument: 1 << 20,
			IdleTimeout: config.Duration(time.Minute), MaxConnections: 8},
	}
}

func startServer(t *testing.T, rcv config.Receivers) *testServer {
	t.Helper()
	sp := &spool{}
	stage := t.TempDir()
	s, err := New(&config.Config{Receivers: rcv}, stage, sp, sp, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return &testServer{Server: s, addr: ln.Addr().String(), spool: sp, stage: stage}
}

// stageEmpty fails the test when a staged file is left.
func (ts *testServer) stageEmpty(t *testing.T) {
	t.Helper()
	waitFor(t, "the staging directory to be empty", func() bool {
		es, _ := os.ReadDir(ts.stage)
		return len(es) == 0
	})
}

// client is a raw LPD sender.
type client struct {
	t *testing.T
	c net.Conn
	r *bufio.Reader
}

func (ts *testServer) dial(t *testing.T) *client {
	t.Helper()
	c, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(time.Minute))
	return &client{t: t, c: c, r: bufio.NewReader(c)}
}

func (c *client) send(s string) {
	c.t.Helper()
	if _, err := io.WriteString(c.c, s); err != nil {
		c.t.Fatal(err)
	}
}

// ack reads a reply code (and the text after a refusal).
func (c *client) ack() (byte, string) {
	c.t.Helper()
	b, err := c.r.ReadByte()
	if err != nil {
		c.t.Fatalf("reading the reply: %v", err)
	}
	if b == 0 {
		return 0, ""
	}
	msg, _ := c.r.ReadString('\n')
	return b, strings.TrimSpace(msg)
}

func (c *client) wantAck(what string) {
	c.t.Helper()
	if code, msg := c.ack(); code != 0 {
		c.t.Fatalf("%s: reply %d %q, want 0", what, code, msg)
	}
}

// file sends a control (2) or data (3) file and reads both acks.
func (c *client) file(sub byte, name, content string) {
	c.t.Helper()
	c.send(fmt.Sprintf("%c%d %s\n", sub, len(content), name))
	c.wantAck("subcommand " + name)
	c.send(content + "\x00")
	c.wantAck("file " + name)
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
