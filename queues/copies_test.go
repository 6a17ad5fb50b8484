package queues

import (
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/events"
	"github.com/omsd/omsd/pipeline"
	"github.com/omsd/omsd/spool"
)

// TestCopiesDoneRecorded: a copy the printer took whole is recorded with
// the output before the next copy is sent, and the next attempt's
// document starts after it.
func TestCopiesDoneRecorded(t *testing.T) {
	store, err := spool.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	pub, err := events.NewPublisher(store, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	j, err := store.CreateJob(spool.Job{Name: "a.pdf", Copies: 3, Outputs: []spool.Output{{Name: "main", File: "output.pdf", Seqs: []int{1}, Printer: "p1"}}})
	if err == nil {
		err = store.SetPieces(j.ID, []spool.Piece{{Seq: 1, Pages: 1, Sheets: 1}})
	}
	if err != nil {
		t.Fatal(err)
	}
	s := &Service{cfg: config.Default(), store: store, pub: pub, log: zerolog.Nop()}
	q := newPrinterQueue(&pipeline.Printer{Name: "p1", Kind: "file"}, config.Printer{Name: "p1"})
	a := attempt{q: q, job: j, out: j.Outputs[0], doc: drivers.Document{Copies: 3}}
	report := s.progress(a)
	report(drivers.Progress{CopyDone: 1})
	report(drivers.Progress{CopyDone: 2})
	j, err = store.Job(j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if o := j.Outputs[0]; o.CopiesDone != 2 || o.Confirmed != 0 {
		t.Fatalf("output after copies 1 and 2: copies done %d, confirmed %d; want 2 and 0", o.CopiesDone, o.Confirmed)
	}
	next := attempt{q: q, job: j, out: j.Outputs[0]}
	if err := s.prepare(&next); err != nil {
		t.Fatal(err)
	}
	if next.doc.Copies != 3 || next.doc.CopiesDone != 2 {
		t.Errorf("the next attempt's document: copies %d, done %d; want 3, 2", next.doc.Copies, next.doc.CopiesDone)
	}
}
