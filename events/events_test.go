package events

import (
	"context"
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/spool"
	"github.com/omsd/omsd/spool/spooltest"
)

// TestSignalMerges: wakes while one is pending merge into one, and Wake
// never blocks.
func TestSignalMerges(t *testing.T) {
	s := NewSignal()
	s.Wake()
	s.Wake()
	<-s.C()
	select {
	case <-s.C():
		t.Fatal("two wakes were not merged")
	default:
	}
}

// TestPublisherPublishesStoredOnce: what a service changes through the
// publisher reaches subscribers once, in the spool's order; what the spool
// held before the publisher was made is not published again.
func TestPublisherPublishesStoredOnce(t *testing.T) {
	store := spooltest.New(t)
	old, err := store.CreateJob(spool.Job{Name: "old.pdf", State: spool.Pending})
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPublisher(store, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	ch, cancel := p.Subscribe(context.Background())
	j, err := p.CreateJob(spool.Job{Name: "a.pdf", State: spool.Pending})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.SetState(j.ID, spool.Held, "held", "job-hold-until-specified"); err != nil {
		t.Fatal(err)
	}
	p.Flush() // nothing new: publishes nothing
	p.Publish(api.Event{Job: j.ID, Type: api.EventProgress})
	cancel()
	var got []api.Event
	for e := range ch {
		got = append(got, e)
	}
	if len(got) < 3 {
		t.Fatalf("events %+v; want the creation, the hold and the progress", got)
	}
	var seq uint64
	for _, e := range got {
		if e.Job == old.ID {
			t.Errorf("an event of the spool from before was published: %+v", e)
		}
		if e.Seq != 0 && e.Seq <= seq {
			t.Errorf("event %d after %d: published twice or out of order", e.Seq, seq)
		}
		seq = max(seq, e.Seq)
	}
	if last := got[len(got)-1]; last.Type != api.EventProgress {
		t.Errorf("last event %+v; want the progress", last)
	}
	if held := got[len(got)-2]; held.State != string(spool.Held) {
		t.Errorf("event before the progress %+v; want the hold", held)
	}
}
