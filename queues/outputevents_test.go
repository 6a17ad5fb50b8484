package queues

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/events"
	"github.com/omsd/omsd/spool"
	"github.com/omsd/omsd/spool/spooltest"
)

type noManifests struct{}

func (noManifests) WriteManifest(spool.Job, string, string, []int) error { return nil }

// pooledJob is a job of four one-sheet pieces in two chunks of a pool,
// main.1 (pieces 1-2) queued on laser1 and main.2 (pieces 3-4) on laser2.
func pooledJob(t *testing.T) (*Service, spool.Job, *bytes.Buffer) {
	t.Helper()
	dir := t.TempDir()
	cfg, err := config.Parse([]byte("version: 1\nstate_dir: " + dir + `
printers:
  - {name: laser1, driver: file, file: {dir: l1}}
  - {name: laser2, driver: file, file: {dir: l2}}
pools:
  - {name: pool1, printers: [laser1, laser2], chunk_sheets: 2}
workflows:
  - {name: w, printer: pool1}
`))
	if err != nil {
		t.Fatal(err)
	}
	store := spooltest.New(t)
	var logs bytes.Buffer
	log := zerolog.New(&logs)
	pub, err := events.NewPublisher(store, log)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(cfg, store, pub, nil, events.NewSignal(), noManifests{}, log)
	if err != nil {
		t.Fatal(err)
	}
	j, err := store.CreateJob(spool.Job{Name: "run.pdf", Workflow: "w", Printer: "pool1", State: spool.Pending, Format: "application/pdf",
		Outputs: []spool.Output{
			{Name: "main.1", File: "c1.pdf", Pieces: 2, Pages: 2, Sheets: 2, Seqs: []int{1, 2}, Printer: "laser1"},
			{Name: "main.2", File: "c2.pdf", Pieces: 2, Pages: 2, Sheets: 2, Seqs: []int{3, 4}, Printer: "laser2"},
		}})
	if err != nil {
		t.Fatal(err)
	}
	var pieces []spool.Piece
	for seq := 1; seq <= 4; seq++ {
		pieces = append(pieces, spool.Piece{Seq: seq, FirstPage: seq, Pages: 1, Sheets: 1})
	}
	if err := store.SetPieces(j.ID, pieces); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(store.JobDir(j.ID), 0o755)
	for _, f := range []string{"c1.pdf", "c2.pdf"} {
		if err := os.WriteFile(filepath.Join(store.JobDir(j.ID), f), []byte("%PDF-1.4 "+f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return s, j, &logs
}

// TestPooledEventsNameChunkPrinterAttempt: the chunks of a pooled job,
// sent on two printers (the first failing once), each have events and log
// lines that name the chunk, the printer it went to, the chunk's own
// attempt and the piece it starts from.
func TestPooledEventsNameChunkPrinterAttempt(t *testing.T) {
	s, j, logs := pooledJob(t)
	ctx := context.Background()
	l1 := s.cfg.Path("l1")
	os.Remove(l1) // laser1 fails its first attempt: its directory is gone
	s.dispatch(ctx, s.printers["laser1"], outKey{j.ID, 0})
	os.MkdirAll(l1, 0o755)
	s.dispatch(ctx, s.printers["laser2"], outKey{j.ID, 1})
	s.dispatch(ctx, s.printers["laser1"], outKey{j.ID, 0})

	got, err := s.store.Job(j.ID)
	if err != nil || got.State != spool.Completed {
		t.Fatalf("job %+v, %v; want completed", got, err)
	}
	evs, err := s.store.JobEvents(j.ID)
	if err != nil {
		t.Fatal(err)
	}
	var sent []string
	for _, e := range evs {
		if e.Output == "" {
			continue
		}
		want := map[string]string{"main.1": "laser1", "main.2": "laser2"}[e.Output]
		if e.Printer != want || !strings.Contains(e.Message, want) || !strings.Contains(e.Message, "output "+e.Output) {
			t.Errorf("event %+v: want chunk %s on %s", e, e.Output, want)
		}
		if strings.Contains(e.Message, "sent to") {
			sent = append(sent, e.Output+" "+e.Printer+" "+string(rune('0'+e.Attempt)))
		}
	}
	if strings.Join(sent, ", ") != "main.2 laser2 1, main.1 laser1 2" {
		t.Errorf("sent events %q; want main.2 on laser2 at its attempt 1, main.1 on laser1 at its attempt 2", sent)
	}
	checkSendingLogs(t, logs, []string{"main.1 laser1 1 1", "main.2 laser2 1 3", "main.1 laser1 2 1"})
}

// checkSendingLogs checks the "sending output" log lines: chunk, printer,
// attempt and first piece.
func checkSendingLogs(t *testing.T, logs *bytes.Buffer, want []string) {
	t.Helper()
	var got []string
	sc := bufio.NewScanner(logs)
	for sc.Scan() {
		var l struct {
			Message   string `json:"message"`
			Chunk     string `json:"chunk"`
			Printer   string `json:"printer"`
			Attempt   int    `json:"attempt"`
			FromPiece int    `json:"from_piece"`
		}
		if json.Unmarshal(sc.Bytes(), &l) == nil && l.Message == "sending output" {
			got = append(got, strings.Join([]string{l.Chunk, l.Printer, string(rune('0' + l.Attempt)), string(rune('0' + l.FromPiece))}, " "))
		}
	}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("sending logs (chunk printer attempt from_piece) %q; want %q", got, want)
	}
}

// TestAllConfirmedOutputIsDone: an output whose every piece the printer
// confirmed, left unfinished by a crash, is done at its next dispatch
// without sending anything again, and without composing an empty file.
func TestAllConfirmedOutputIsDone(t *testing.T) {
	s, j, _ := pooledJob(t)
	if _, err := s.store.UpdateJob(j.ID, func(j *spool.Job) error {
		j.Outputs[0].Confirmed = 2
		j.Outputs[1].Sent, j.Outputs[1].Confirmed = true, 2
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	s.dispatch(context.Background(), s.printers["laser1"], outKey{j.ID, 0})
	got, err := s.store.Job(j.ID)
	if err != nil || got.State != spool.Completed || !got.Outputs[0].Sent {
		t.Fatalf("job %s %q, output sent %v, %v; want completed", got.State, got.Message, got.Outputs[0].Sent, err)
	}
	if ents, _ := os.ReadDir(s.cfg.Path("l1")); len(ents) != 0 {
		t.Errorf("laser1 was sent %d files; want none", len(ents))
	}
}

// TestOutputEventsCarryReasons: each output event says what it is by a
// reason keyword, so that the metrics and reports need not read messages:
// sending, sent, failed.
func TestOutputEventsCarryReasons(t *testing.T) {
	s, j, _ := pooledJob(t)
	ctx := context.Background()
	l1 := s.cfg.Path("l1")
	os.Remove(l1)
	s.dispatch(ctx, s.printers["laser1"], outKey{j.ID, 0})
	os.MkdirAll(l1, 0o755)
	s.dispatch(ctx, s.printers["laser2"], outKey{j.ID, 1})
	s.dispatch(ctx, s.printers["laser1"], outKey{j.ID, 0})
	evs, err := s.store.JobEvents(j.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range evs {
		if e.Output != "" && len(e.Reasons) == 1 {
			got = append(got, e.Output+" "+e.Reasons[0]+" "+string(rune('0'+e.Attempt)))
		}
	}
	want := []string{
		"main.1 " + events.ReasonOutputSending + " 1", "main.1 " + events.ReasonOutputFailed + " 1",
		"main.2 " + events.ReasonOutputSending + " 1", "main.2 " + events.ReasonOutputSent + " 1",
		"main.1 " + events.ReasonOutputSending + " 2", "main.1 " + events.ReasonOutputSent + " 2",
	}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("output events %q;\nwant %q", got, want)
	}
}
