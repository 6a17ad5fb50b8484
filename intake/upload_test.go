package intake

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/spool"
)

// TestSubmitCutOff: an upload that fails while it is read (over the limit,
// the client gone, omsd stopping) leaves no job and no file; uploads left by
// an omsd that stopped are removed at start-up.
func TestSubmitCutOff(t *testing.T) {
	d, err := open(testConfig(t), zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer d.store.Close()
	cut := errors.New("connection reset")
	body := &failingReader{data: strings.Repeat("%PDF", 200_000), err: cut}
	if _, err := d.submit(context.Background(), api.SubmitOptions{Name: "a.pdf"}, body); !errors.Is(err, cut) {
		t.Fatalf("submit = %v, want the read error", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := d.submit(ctx, api.SubmitOptions{Name: "b.pdf"}, strings.NewReader("%PDF-1.7")); !errors.Is(err, context.Canceled) {
		t.Fatalf("submit while stopping = %v, want canceled", err)
	}
	if jobs, _ := d.store.Jobs(); len(jobs) != 0 {
		t.Errorf("cut off uploads left jobs: %+v", jobs)
	}
	uploads := filepath.Join(d.store.Dir(), uploadsDir)
	if left, _ := os.ReadDir(uploads); len(left) != 0 {
		t.Errorf("cut off uploads left files: %v", left)
	}
	os.WriteFile(filepath.Join(uploads, "upload-123"), []byte("half"), 0o600)
	d.clearUploads()
	if left, _ := os.ReadDir(uploads); len(left) != 0 {
		t.Errorf("start-up left %v", left)
	}
	j, err := d.submit(context.Background(), api.SubmitOptions{Name: "c.pdf"}, strings.NewReader("%PDF-1.7"))
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(d.store.JobDir(j.ID), j.Input)); err != nil || string(b) != "%PDF-1.7" {
		t.Errorf("stored input %q, %v", b, err)
	}
}

// failingReader returns data, then err.
type failingReader struct {
	data string
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.data == "" {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

// TestSubmitKeepsTheSender: a job from a network receiver keeps its
// source, sender, origin and job metadata, and says how it came.
func TestSubmitKeepsTheSender(t *testing.T) {
	d, err := open(testConfig(t), zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer d.store.Close()
	opt := api.SubmitOptions{Name: "stmt.pdf", Source: "lpd", User: "PRINTWAY", Origin: "lpd 127.0.0.1:721 queue stmts",
		Metadata: map[string]string{"cost_centre": "4711"}}
	j, err := d.submit(context.Background(), opt, strings.NewReader("%PDF-1.7"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := d.store.Job(j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Source != "lpd" || got.User != "PRINTWAY" || got.Origin != opt.Origin || got.Metadata["cost_centre"] != "4711" {
		t.Errorf("stored job %+v", got)
	}
	if !strings.Contains(got.Message, "LPD") {
		t.Errorf("message %q does not say it came by LPD", got.Message)
	}
}

// TestRecoverCutOffSubmit: a submitted job recorded but whose file never
// reached its directory (omsd stopped in between, nothing acknowledged) is
// aborted at start-up with a message saying its sender sends it again; one
// whose file arrived is finished and queued.
func TestRecoverCutOffSubmit(t *testing.T) {
	cfg := testConfig(t)
	s, err := open(cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer s.store.Close()
	cut, err := s.pub.CreateJob(spool.Job{Name: "a.pdf", Workflow: "default", State: spool.Pending,
		StateReasons: []string{reasonIncoming}, Source: "lpd", Input: "input.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	whole, err := s.pub.CreateJob(spool.Job{Name: "b.pdf", Workflow: "default", State: spool.Pending,
		StateReasons: []string{reasonIncoming}, Source: "lpd", Input: "input.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := s.store.MakeJobDir(whole.ID)
	os.WriteFile(filepath.Join(dir, "input.pdf"), []byte("%PDF-1.7"), 0o600)
	if err := s.recover(); err != nil {
		t.Fatal(err)
	}
	j, _ := s.store.Job(cut.ID)
	if j.State != spool.Aborted || !strings.Contains(j.Message, "its sender sends it again") {
		t.Errorf("cut-off job: %s %q", j.State, j.Message)
	}
	j, _ = s.store.Job(whole.ID)
	if j.State != spool.Pending || incoming(j) {
		t.Errorf("job whose file arrived: %s %v %q", j.State, j.StateReasons, j.Message)
	}
}
