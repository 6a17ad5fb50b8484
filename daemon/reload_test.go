package daemon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/client"
	"github.com/omsd/omsd/config"
)

// heldPrinter is a raw-socket printer that takes connections but reads
// nothing of a document until released, so a send stays under way as
// long as a test needs.
type heldPrinter struct {
	ln       net.Listener
	accepted chan struct{}
	release  chan struct{}
	mu       sync.Mutex
	docs     []int // bytes of each document received whole
}

func newHeldPrinter(t *testing.T) *heldPrinter {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &heldPrinter{ln: ln, accepted: make(chan struct{}, 16), release: make(chan struct{})}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.serve(c)
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return p
}

func (p *heldPrinter) serve(c net.Conn) {
	defer c.Close()
	p.accepted <- struct{}{}
	<-p.release
	n, err := io.Copy(io.Discard, c)
	if err == nil {
		p.mu.Lock()
		p.docs = append(p.docs, int(n))
		p.mu.Unlock()
	}
}

func (p *heldPrinter) received() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.docs)
}

// syncBuffer is a log sink the test reads while the daemon writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// reloadConfig is the test's configuration file; extra is appended.
func reloadConfig(dir string, port int, printers, workflows, hotFolders string) string {
	return fmt.Sprintf(`version: 1
state_dir: %s/state
printers:
  - name: slow
    driver: socket
    socket: {host: 127.0.0.1, port: %d, wait_close: 60s}
%sworkflows:
  - name: big
    printer: slow
    pieces: {method: whole}
%shot_folders:
  - dir: hot/big
    workflow: big
%s`, dir, port, printers, workflows, hotFolders)
}

// TestReloadUnderLoad changes the configuration while a large job is being
// sent: a file with problems is refused with all of them; a good one adds
// a printer, a workflow and a hot folder and removes a printer that has
// queued work. The send under way finishes first, once, on its settings;
// the removed printer's job is held with the reason; the new hot folder
// and printer serve a job.
func TestReloadUnderLoad(t *testing.T) {
	dir := t.TempDir()
	slow := newHeldPrinter(t)
	port := slow.ln.Addr().(*net.TCPAddr).Port
	path := filepath.Join(dir, "omsd.yaml")
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(reloadConfig(dir, port,
		"  - name: doomed\n    driver: file\n    file: {dir: out-doomed}\n",
		"  - name: doomedwf\n    printer: doomed\n    pieces: {method: whole}\n", ""))
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	hup := make(chan os.Signal, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, cfg, zerolog.New(&logs), WithReload(func() (*config.Config, error) { return config.Load(path) }, hup))
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		if t.Failed() {
			t.Logf("omsd's log:\n%s", logs.String())
		}
	}()
	c := &client.Client{Socket: cfg.Path(cfg.API.Socket)}
	waitUntil(t, "the API", func() bool { _, err := c.Status(ctx); return err == nil })

	// Work queued on the printer to be removed: paused, so it stays queued.
	if _, err := c.PrinterAction(ctx, "doomed", "pause"); err != nil {
		t.Fatal(err)
	}
	queued := submit(t, c, "queued.pdf", "doomedwf")
	waitUntil(t, "the job queued on doomed", func() bool {
		j, err := c.Job(ctx, queued)
		return err == nil && j.Job.State == "pending" && j.Job.Pieces > 0
	})
	big := submit(t, c, "big.pdf", "big")
	<-slow.accepted

	// A file with problems: refused, every problem named, nothing changes.
	write(reloadConfig(dir, port, "", "  - name: orphan\n    printer: nowhere\n", "log: {level: loud}\n"))
	_, err = c.Reload(ctx)
	if !errors.Is(err, api.ErrBadRequest) || !strings.Contains(err.Error(), "nowhere") || !strings.Contains(err.Error(), "log.level") {
		t.Errorf("reload of a bad file: %v; want both problems (printer nowhere, log.level)", err)
	}
	if st, _ := c.Status(ctx); !slices.Contains(st.Printers, "doomed") || st.LastReload == nil || st.LastReload.Applied || !strings.Contains(st.LastReload.Error, "nowhere") {
		t.Errorf("after a refused reload: printers %v, last reload %+v", st.Printers, st.LastReload)
	}

	// A good file, by SIGHUP: fresh printer, workflow and hot folder in,
	// doomed out, hot/big moved to hot/big2.
	good := reloadConfig(dir, port,
		"  - name: fresh\n    driver: file\n    file: {dir: out-fresh}\n",
		"  - name: freshwf\n    printer: fresh\n    pieces: {method: whole}\n",
		"  - dir: hot/fresh\n    workflow: freshwf\n")
	write(strings.Replace(good, "dir: hot/big\n", "dir: hot/big2\n", 1))
	hup <- os.Interrupt
	waitUntil(t, "the reload waiting for the send under way", func() bool {
		return strings.Contains(logs.String(), "reload waits for the sends under way to finish")
	})
	close(slow.release)
	waitUntil(t, "the reload applied", func() bool {
		st, err := c.Status(ctx)
		return err == nil && slices.Contains(st.Printers, "fresh") && !slices.Contains(st.Printers, "doomed")
	})
	if st, _ := c.Status(ctx); st.LastReload == nil || !st.LastReload.Applied ||
		!slices.Contains(st.LastReload.Changes, "printer fresh added") || !slices.Contains(st.LastReload.Changes, "printer doomed removed") {
		t.Errorf("last reload %+v, want applied, naming the printers added and removed", st.LastReload)
	}
	j, err := c.Job(ctx, big)
	if err != nil || j.Job.State != "completed" || j.Job.Attempts != 1 {
		t.Errorf("the large job: %+v, %v; want completed in its one attempt, before the reload took effect", j.Job, err)
	}
	if got := slow.received(); len(got) != 1 {
		t.Errorf("the slow printer received %v documents, want the large job's once", got)
	}
	waitUntil(t, "the removed printer's job held", func() bool {
		j, err := c.Job(ctx, queued)
		return err == nil && j.Job.State == "held" && strings.Contains(j.Job.Message, `printer "doomed" is no longer in the configuration`)
	})

	// The new hot folder and printer serve a job.
	pdf, err := os.ReadFile("../examples/letters.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfg.StateDir, "hot/fresh/.l.pdf.tmp"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(cfg.StateDir, "hot/fresh/.l.pdf.tmp"), filepath.Join(cfg.StateDir, "hot/fresh/l.pdf")); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the new hot folder's job printed on the new printer", func() bool {
		outs, _ := filepath.Glob(filepath.Join(cfg.StateDir, "out-fresh", "*"))
		return len(outs) == 1
	})
	if _, err := os.Stat(filepath.Join(cfg.StateDir, "hot/big2")); err != nil {
		t.Errorf("the changed hot folder: %v", err)
	}
}

func submit(t *testing.T, c *client.Client, name, workflow string) int64 {
	t.Helper()
	f, err := os.Open("../examples/statements.pdf")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	j, err := c.Submit(context.Background(), api.SubmitOptions{Name: name, Workflow: workflow}, f)
	if err != nil {
		t.Fatal(err)
	}
	return j.ID
}

// waitUntil polls cond until it holds, failing after a generous deadline.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestReloadChanges(t *testing.T) {
	old := config.Default()
	cfg := config.Default()
	cfg.Printers = append(cfg.Printers, config.Printer{Name: "fresh", Driver: "file", File: &config.FilePrinter{Dir: "x"}})
	cfg.Workflows = cfg.Workflows[:1]
	cfg.HotFolders = append([]config.HotFolder(nil), cfg.HotFolders...)
	cfg.HotFolders[0].Workflow = "afp"
	cfg.Log.Level = "debug"
	got := changes(old, cfg)
	want := []string{"printer fresh added", "workflow afp removed", "hot folder hot/default changed", "log changed (takes effect at the next restart)"}
	if !slices.Equal(got, want) {
		t.Errorf("changes = %q, want %q", got, want)
	}
	if got := changes(config.Default(), config.Default()); len(got) != 0 {
		t.Errorf("changes of equal configurations = %q", got)
	}
}

func TestReloadRefusesRestartOnlySettings(t *testing.T) {
	old := config.Default()
	cfg := config.Default()
	cfg.StateDir, cfg.API.Socket = "/elsewhere", "other.sock"
	got := restartOnly(old, cfg)
	if len(got) != 2 || !strings.HasPrefix(got[0], "state_dir") || !strings.HasPrefix(got[1], "api.socket") {
		t.Errorf("restartOnly = %q, want state_dir and api.socket", got)
	}
	d := &Daemon{cfg: old}
	WithReload(func() (*config.Config, error) { return cfg, nil }, nil)(d)
	if _, err := d.check(); !errors.Is(err, ErrReload) || !strings.Contains(err.Error(), "takes a restart") {
		t.Errorf("check = %v, want a refusal saying a restart is needed", err)
	}
	d.reload.load = nil
	if _, err := d.check(); !errors.Is(err, ErrReload) || !strings.Contains(err.Error(), "--config FILE") {
		t.Errorf("check without a file = %v", err)
	}
}

// TestReloadMovesListener: a reload that changes receivers.lpd.listen
// closes the old listener and opens the new one.
func TestReloadMovesListener(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "omsd.yaml")
	freePort := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		return ln.Addr().String()
	}
	first, second := freePort(), freePort()
	write := func(addr string) {
		cfg := fmt.Sprintf("version: 1\nstate_dir: %s/state\nreceivers:\n  lpd:\n    listen: %s\n", dir, addr)
		if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(first)
	_, hup, c := runReloadable(t, path)
	listening := func(addr string) bool {
		conn, err := net.Dial("tcp", addr)
		if err == nil {
			conn.Close()
		}
		return err == nil
	}
	waitUntil(t, "the LPD listener on "+first, func() bool { return listening(first) })
	write(second)
	hup <- os.Interrupt
	waitUntil(t, "the LPD listener moved to "+second, func() bool {
		st, err := c.Status(t.Context())
		return err == nil && len(st.Listeners) == 1 && st.Listeners[0].Address == second && listening(second)
	})
	if listening(first) {
		t.Errorf("the old listener %s still answers", first)
	}
	if st, _ := c.Status(t.Context()); st.LastReload == nil || !slices.Contains(st.LastReload.Changes, "receivers changed") {
		t.Errorf("last reload %+v, want receivers changed", st.LastReload)
	}
}

// runReloadable runs the daemon on the configuration file at path until
// the test ends, reloading it from the file when the returned channel
// gets a signal (as SIGHUP does), and returns its configuration and a
// client of its API.
func runReloadable(t *testing.T, path string) (*config.Config, chan<- os.Signal, *client.Client) {
	t.Helper()
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	hup := make(chan os.Signal, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, cfg, zerolog.Nop(), WithReload(func() (*config.Config, error) { return config.Load(path) }, hup))
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return cfg, hup, &client.Client{Socket: cfg.Path(cfg.API.Socket)}
}
