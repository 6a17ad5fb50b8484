package queues

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/events"
	"github.com/omsd/omsd/spool"
	"github.com/omsd/omsd/spool/spooltest"
)

// fakeArchiver fails while down, and notes what it archived and whether
// the printer had the output already.
type fakeArchiver struct {
	down      bool
	outDir    string
	calls     [][]int
	sentFirst bool
}

func (f *fakeArchiver) ArchiveOutput(_ context.Context, _ spool.Job, _ int, _, path string, seqs []int) error {
	if ents, _ := os.ReadDir(f.outDir); len(ents) > 0 {
		f.sentFirst = true
	}
	if f.down {
		return errors.New("connection refused")
	}
	if _, err := os.Stat(path); err != nil {
		return err
	}
	f.calls = append(f.calls, slices.Clone(seqs))
	return nil
}

// TestOutputIsArchivedBeforeItIsSent: an output goes to the printer only
// once the archiver took its pieces; while the archive is down it waits,
// and the job says why.
func TestOutputIsArchivedBeforeItIsSent(t *testing.T) {
	dir := t.TempDir()
	cfg, err := config.Parse([]byte("version: 1\nstate_dir: " + dir + `
spool: {retry_delay: 1s}
printers:
  - {name: laser, driver: file, file: {dir: out}}
workflows:
  - {name: w, printer: laser}
`))
	if err != nil {
		t.Fatal(err)
	}
	store := spooltest.New(t)
	pub, err := events.NewPublisher(store, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	arch := &fakeArchiver{down: true, outDir: cfg.Path("out")}
	s, err := New(cfg, store, pub, nil, events.NewSignal(), noManifests{}, zerolog.Nop(), WithArchiver(arch))
	if err != nil {
		t.Fatal(err)
	}
	j, err := store.CreateJob(spool.Job{Name: "run.pdf", Workflow: "w", Printer: "laser", State: spool.Pending, Format: "application/pdf",
		Outputs: []spool.Output{{Name: "main", File: "o.pdf", Pieces: 2, Pages: 2, Sheets: 2, Seqs: []int{1, 2}, Printer: "laser"}}})
	if err != nil {
		t.Fatal(err)
	}
	store.SetPieces(j.ID, []spool.Piece{{Seq: 1, FirstPage: 1, Pages: 1, Sheets: 1}, {Seq: 2, FirstPage: 2, Pages: 1, Sheets: 1}})
	os.MkdirAll(store.JobDir(j.ID), 0o755)
	os.WriteFile(filepath.Join(store.JobDir(j.ID), "o.pdf"), []byte("%PDF-1.4 o"), 0o644)

	s.dispatch(context.Background(), s.printers["laser"], outKey{j.ID, 0})
	got, _ := store.Job(j.ID)
	if ents, _ := os.ReadDir(cfg.Path("out")); len(ents) != 0 || got.State == spool.Completed || got.Outputs[0].Sent {
		t.Fatalf("the output went out while the archive was down: %d files, job %s", len(ents), got.State)
	}
	if !strings.Contains(got.Message, "archiving output 1 before it is sent: connection refused") {
		t.Errorf("job message %q does not say the archive holds it", got.Message)
	}
	arch.down = false
	s.dispatch(context.Background(), s.printers["laser"], outKey{j.ID, 0})
	got, _ = store.Job(j.ID)
	if got.State != spool.Completed || len(arch.calls) != 1 || !slices.Equal(arch.calls[0], []int{1, 2}) || arch.sentFirst {
		t.Fatalf("job %s, archived %v, sent before archiving %v", got.State, arch.calls, arch.sentFirst)
	}
}
