package queues

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/pipeline"
	"github.com/omsd/omsd/spool"
)

func TestSeqRanges(t *testing.T) {
	tests := []struct {
		seqs []int
		want string
	}{
		{[]int{7}, "7"},
		{[]int{1, 2, 3}, "1-3"},
		{[]int{1, 2, 3, 7, 9, 10}, "1-3,7,9-10"},
	}
	for _, tt := range tests {
		if got := seqRanges(tt.seqs); got != tt.want {
			t.Errorf("seqRanges(%v) = %q, want %q", tt.seqs, got, tt.want)
		}
	}
}

// TestSendsCountedBeforeTheSend checks that a transmission counts from
// before it begins (a crash during it leaves it counted), is taken back
// when the device took none of it, and that a transmission of pieces sent
// before is a resend event.
func TestSendsCountedBeforeTheSend(t *testing.T) {
	store, err := spool.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	j, err := store.CreateJob(spool.Job{Name: "a.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	d := &Service{store: store, log: zerolog.Nop()}
	q := newPrinterQueue(&pipeline.Printer{Name: "p1", Kind: "file"}, config.Printer{Name: "p1"})
	a := attempt{q: q, job: j, seqs: []int{1, 2}}
	sends := func() string {
		s, err := store.Sends(j.ID)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(s[1].Sends, s[2].Sends)
	}

	d.recordSends(a) // cut off by a crash: it counts
	if got := sends(); got != "1 1" {
		t.Fatalf("sends after a transmission began = %s; want 1 1", got)
	}
	d.recordSends(a)
	d.sendsDone(a, fmt.Errorf("%w: refused", drivers.ErrNotSent))
	if got := sends(); got != "1 1" {
		t.Fatalf("sends after a refused transmission = %s; want 1 1", got)
	}
	d.recordSends(a)
	d.sendsDone(a, errors.New("connection reset"))
	if got := sends(); got != "2 2" {
		t.Fatalf("sends after a second transmission = %s; want 2 2", got)
	}
	evs, err := store.JobEvents(j.ID)
	if err != nil {
		t.Fatal(err)
	}
	var resends []string
	for _, e := range evs {
		if e.Type == eventResend {
			resends = append(resends, e.Message)
		}
	}
	if len(resends) != 1 || !strings.Contains(resends[0], "resent 2 pieces (1-2) to p1") {
		t.Errorf("resend events %q; want one for pieces 1-2", resends)
	}
}
