package drivers

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

// recorder is a driver that records what it was sent and reports every
// document printed in full.
type recorder struct {
	names    []string
	copies   []int
	failAt   int // the send (from 1) that fails, or 0
	itself   bool
	progress []Progress
}

func (r *recorder) Send(_ context.Context, doc Document, progress func(Progress)) (Outcome, error) {
	r.names = append(r.names, doc.Name)
	r.copies = append(r.copies, doc.Copies)
	if len(r.names) == r.failAt {
		return StopQueue, errors.New("paper jam")
	}
	progress(Progress{SheetsDone: doc.Sheets, Sheets: doc.Sheets, Confirmed: true, State: "completed"})
	return OK, nil
}

func (r *recorder) Status(context.Context) (Status, error) { return Status{}, nil }

type copier struct{ *recorder }

func (copier) SendsCopies() bool { return true }

func TestSendCopiesOncePerCopy(t *testing.T) {
	r := &recorder{}
	var got []Progress
	var done []int
	doc := Document{Name: "statement.pdf", Sheets: 4, Copies: 3}
	out, err := SendCopies(context.Background(), r, doc, func(p Progress) {
		if p.CopyDone > 0 {
			done = append(done, p.CopyDone)
			return
		}
		got = append(got, p)
	})
	if out != OK || err != nil {
		t.Fatalf("SendCopies = %v, %v", out, err)
	}
	if want := []string{"statement.pdf", "statement-copy2.pdf", "statement-copy3.pdf"}; !reflect.DeepEqual(r.names, want) {
		t.Errorf("sent %v, want %v", r.names, want)
	}
	if !reflect.DeepEqual(r.copies, []int{1, 1, 1}) {
		t.Errorf("each send asked the device for copies %v, want one each", r.copies)
	}
	if len(got) != 3 || got[0].Confirmed || got[1].Confirmed || got[0].SheetsDone != 0 || !got[2].Confirmed || got[2].SheetsDone != 4 {
		t.Errorf("progress %+v: only the last copy may confirm sheets", got)
	}
	if !reflect.DeepEqual(done, []int{1, 2}) {
		t.Errorf("copies reported done %v, want 1 and 2 (the last is done with the send)", done)
	}
}

// TestSendCopiesStartsAfterTheCopiesDone: an attempt after a fault sends
// only the copies the device did not take whole before.
func TestSendCopiesStartsAfterTheCopiesDone(t *testing.T) {
	r := &recorder{}
	var done []int
	doc := Document{Name: "statement.pdf", Sheets: 4, Copies: 4, CopiesDone: 2}
	out, err := SendCopies(context.Background(), r, doc, func(p Progress) {
		if p.CopyDone > 0 {
			done = append(done, p.CopyDone)
		}
	})
	if out != OK || err != nil {
		t.Fatalf("SendCopies = %v, %v", out, err)
	}
	if want := []string{"statement-copy3.pdf", "statement-copy4.pdf"}; !reflect.DeepEqual(r.names, want) {
		t.Errorf("sent %v, want %v", r.names, want)
	}
	if !reflect.DeepEqual(done, []int{3}) {
		t.Errorf("copies reported done %v, want 3", done)
	}
	c := &recorder{}
	if _, err := SendCopies(context.Background(), copier{c}, doc, func(Progress) {}); err != nil || !reflect.DeepEqual(c.copies, []int{2}) {
		t.Errorf("a device that makes copies was asked for %v, want the 2 not done", c.copies)
	}
	r = &recorder{}
	SendCopies(context.Background(), r, Document{Name: "a.pdf", Copies: 2, CopiesDone: 5}, func(Progress) {})
	if !reflect.DeepEqual(r.names, []string{"a-copy2.pdf"}) {
		t.Errorf("with more copies done than asked for, sent %v; want the last copy again", r.names)
	}
}

func TestSendCopiesStopsAtAFailedCopy(t *testing.T) {
	r := &recorder{failAt: 2}
	out, err := SendCopies(context.Background(), r, Document{Name: "run", Copies: 3}, func(Progress) {})
	if out != StopQueue || err == nil || err.Error() != "copy 2 of 3: paper jam" {
		t.Errorf("SendCopies = %v, %v; want stop-queue, copy 2 of 3: paper jam", out, err)
	}
	if len(r.names) != 2 {
		t.Errorf("sent %v after the failed copy", r.names)
	}
}

func TestSendCopiesLeavesThemToADeviceThatMakesThem(t *testing.T) {
	r := &recorder{}
	out, err := SendCopies(context.Background(), copier{r}, Document{Name: "a.pdf", Copies: 2}, func(Progress) {})
	if out != OK || err != nil || !reflect.DeepEqual(r.copies, []int{2}) {
		t.Errorf("SendCopies = %v, %v, sends %v; want one send asking for 2", out, err, r.copies)
	}
}

func TestCopyName(t *testing.T) {
	for _, c := range []struct {
		name string
		i    int
		want string
	}{{"a.pdf", 1, "a.pdf"}, {"a.pdf", 2, "a-copy2.pdf"}, {"job 7 output 1", 3, "job 7 output 1-copy3"}, {"x.afp", 10, "x-copy10.afp"}} {
		if got := CopyName(c.name, c.i); got != c.want {
			t.Errorf("CopyName(%q, %d) = %q, want %q", c.name, c.i, got, c.want)
		}
	}
}
