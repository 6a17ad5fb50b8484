package channels

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/events"
	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/internal/testpeer"
	"github.com/omsd/omsd/pipeline"
	"github.com/omsd/omsd/spool"
)

// rig is a channels service on its own spool, e-mailing through a real
// mailpit.
type rig struct {
	s     *Service
	store *spool.Store
	mp    *testpeer.Mailpit
	dir   string
}

// rigConfig is a configuration whose workflow "mail" e-mails through mp
// (verifying its certificate with caFile) and drops into a portal.
func rigConfig(t *testing.T, dir string, mp *testpeer.Mailpit, caFile, extra string) *config.Config {
	t.Helper()
	y := fmt.Sprintf(`version: 1
state_dir: %s
printers:
  - {name: file, driver: file, file: {dir: out}}
workflows:
  - name: mail
    format: pdf
    printer: file
    pieces: {method: sidecar}
    channels:
      portal: {dir: portal}
%s
      email:
        host: 127.0.0.1
        port: %d
        ca_file: %s
        username: omsd
        password: secret
        from: "Statements <noreply@bank.test>"
        subject: "Statement {{.Meta.account}}"
        text: "Dear {{.Meta.name}}, your statement is attached."
        html: "<p>Dear {{.Meta.name}}, your statement is attached.</p>"
        attachment: "statement-{{.Meta.account}}.pdf"
        attempts: 3
        backoff: 1ms
        timeout: 20s
`, dir, extra, mp.SMTPPort, caFile)
	cfg, err := config.Parse([]byte(y))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func newRig(t *testing.T, mp *testpeer.Mailpit, caFile, extra string) *rig {
	t.Helper()
	dir := t.TempDir()
	cfg := rigConfig(t, dir, mp, caFile, extra)
	store, err := spool.Open(filepath.Join(dir, "spool"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	pub, err := events.NewPublisher(store, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(cfg, store, pub, events.NewSignal(), events.NewSignal(), zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	return &rig{s: s, store: store, mp: mp, dir: dir}
}

// piece is one piece of a test run: its channel field and address.
type piece struct{ channel, email string }

// analysedJob stands in for analysis: a job of the pieces, its print
// file analysed with the service's channel decision.
func (r *rig) analysedJob(t *testing.T, pieces []piece) spool.Job {
	t.Helper()
	var o pdftest.Options
	type entry struct {
		FirstPage int               `json:"first_page"`
		Pages     int               `json:"pages"`
		Meta      map[string]string `json:"meta"`
	}
	var side []entry
	first := 1
	for i, p := range pieces {
		pages := 1 + i%3
		o.Pieces = append(o.Pieces, pages)
		meta := map[string]string{"account": fmt.Sprintf("A%04d", i+1), "name": fmt.Sprintf("Customer %d", i+1), "customer_id": fmt.Sprintf("C%d", i+1)}
		if p.channel != "" {
			meta["channel"] = p.channel
		}
		if p.email != "" {
			meta["email"] = p.email
		}
		side = append(side, entry{first, pages, meta})
		first += pages
	}
	j, err := r.s.pub.CreateJob(spool.Job{Name: "run.pdf", Workflow: "mail", Printer: "file", State: spool.Pending,
		StateReasons: []string{"job-queued"}, Source: "api", Input: "input.pdf", Sidecar: "sidecar.json"})
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := r.store.MakeJobDir(j.ID)
	if err := pdftest.WriteFile(filepath.Join(dir, "input.pdf"), o); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{"pieces": side})
	os.WriteFile(filepath.Join(dir, "sidecar.json"), b, 0o644)
	return r.analyse(t, j)
}

// analyse analyses job j as analysis would, with the channel decision.
func (r *rig) analyse(t *testing.T, j spool.Job) spool.Job {
	t.Helper()
	wf, _ := r.s.cfg.Workflow(j.Workflow)
	route, err := r.s.Route(j, wf)
	if err != nil {
		t.Fatal(err)
	}
	dir := r.store.JobDir(j.ID)
	res, err := pipeline.PrepareJob(wf, pipeline.Job{ID: fmt.Sprint(j.ID), Route: route}, filepath.Join(dir, j.Input), filepath.Join(dir, j.Sidecar), dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.store.SetPieces(j.ID, res.Pieces); err != nil {
		t.Fatal(err)
	}
	j, err = r.s.pub.Update(j.ID, func(j *spool.Job) error {
		j.Pieces, j.Pages, j.Sheets = len(res.Pieces), res.Pages, res.Sheets
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// passUntil runs the service's passes until done holds, or fails after a
// generous deadline.
func (r *rig) passUntil(t *testing.T, what string, done func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !done() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		r.s.pass(context.Background())
		time.Sleep(time.Millisecond) // the backoff of the test configuration
	}
}

// deliveries returns job id's deliveries.
func (r *rig) deliveries(t *testing.T, id int64) map[int]spool.Delivery {
	t.Helper()
	ds, err := r.store.Deliveries(id)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// allIn reports whether every delivery of job id is in one of states.
func (r *rig) allIn(t *testing.T, id int64, states ...string) bool {
	ds := r.deliveries(t, id)
	if len(ds) == 0 {
		return false
	}
	for _, d := range ds {
		if !strings.Contains(strings.Join(states, ","), d.State) {
			return false
		}
	}
	return true
}

// byMessageID maps mailpit's messages by Message-ID.
func byMessageID(t *testing.T, mp *testpeer.Mailpit) map[string][]testpeer.MailpitMessage {
	out := map[string][]testpeer.MailpitMessage{}
	for _, m := range mp.Messages(t) {
		out[m.MessageID] = append(out[m.MessageID], m)
	}
	return out
}
