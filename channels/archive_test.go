package channels

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/internal/testpeer"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/spool"
)

// fakeArchiver fails while down, and notes what it was given: per piece
// and channel the bytes, recipient and number of calls, and whether the
// piece was already delivered when it was asked to archive it.
type fakeArchiver struct {
	mu        sync.Mutex
	down      bool
	delivered func(channel, recipient string, seq int) bool
	calls     map[string]int
	data      map[string][]byte
	recipient map[string]string
	sentFirst []string
}

func (f *fakeArchiver) ArchiveDelivery(_ context.Context, _ spool.Job, p mailpiece.Piece, channel, recipient, path string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	key := channel + "-" + itoa(p.Seq)
	f.calls[key]++
	if f.delivered(channel, recipient, p.Seq) {
		f.sentFirst = append(f.sentFirst, key)
	}
	if f.down {
		return errors.New("archive store unreachable")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if old, ok := f.data[key]; ok && !bytes.Equal(old, b) {
		return errors.New("piece " + key + " archived with other bytes than before")
	}
	f.data[key], f.recipient[key] = b, recipient
	return nil
}

// TestDeliveriesAreArchivedFirst: an e-mail or portal piece is archived,
// the bytes it is delivered with, before it goes out; while the archive
// cannot take it the delivery waits and says why, nothing is sent; a
// retried delivery gives the archive the same bytes again.
func TestDeliveriesAreArchivedFirst(t *testing.T) {
	mp := testpeer.StartMailpit(t)
	r := newRig(t, mp, mp.CAFile, "")
	r.s.cfg.Spool.RetryDelay = config.Duration(time.Millisecond)
	r.s.cfg.Workflows[0].Channels.Email.Attempts = 100
	arch := &fakeArchiver{down: true, calls: map[string]int{}, data: map[string][]byte{}, recipient: map[string]string{}}
	arch.delivered = func(channel, recipient string, seq int) bool {
		if channel == config.PortalChannel {
			_, err := os.Stat(strings.Split(recipient, "; ")[0])
			return err == nil
		}
		for _, m := range mp.Messages(t) {
			if len(m.To) == 1 && m.To[0].Address == recipient {
				return true
			}
		}
		return false
	}
	r.s.archiver = arch
	pieces := []piece{{"email", "a@example.com"}, {"portal", ""}, {"", ""}, {"email", "b@example.com"}, {"portal", ""}}
	j := r.analysedJob(t, pieces)
	r.passUntil(t, "the deliveries waiting for the archive", func() bool {
		ds := r.deliveries(t, j.ID)
		if len(ds) != 4 {
			return false
		}
		for _, d := range ds {
			if d.State != spool.DeliveryPending || !strings.Contains(d.Error, "archive store unreachable") {
				return false
			}
		}
		return true
	})
	if n := len(mp.Messages(t)); n != 0 {
		t.Fatalf("%d messages sent while the archive was down", n)
	}
	if got, _ := filepath.Glob(filepath.Join(r.dir, "portal", "*")); len(got) != 0 {
		t.Fatalf("portal files %v written while the archive was down", got)
	}
	for _, d := range r.deliveries(t, j.ID) {
		if d.Attempts != 0 {
			t.Errorf("piece %d: %d attempts while the archive was down; want none", d.Seq, d.Attempts)
		}
	}

	// The archive comes back while the server answers 451: each e-mail is
	// tried again, its archived bytes the same.
	mp.Chaos(t, `{"Recipient":{"ErrorCode":451,"Probability":100}}`)
	arch.mu.Lock()
	arch.down = false
	arch.mu.Unlock()
	r.passUntil(t, "two attempts of each e-mail", func() bool {
		n := 0
		for _, d := range r.deliveries(t, j.ID) {
			if d.Channel == config.EmailChannel && d.Attempts >= 2 {
				n++
			}
		}
		return n == 2
	})
	mp.Chaos(t, `{}`)
	r.passUntil(t, "delivery", func() bool { return r.allIn(t, j.ID, spool.DeliveryDelivered) })

	arch.mu.Lock()
	defer arch.mu.Unlock()
	if len(arch.sentFirst) > 0 {
		t.Errorf("delivered before archived: %v", arch.sentFirst)
	}
	got := byMessageID(t, mp)
	for seq, d := range r.deliveries(t, j.ID) {
		key := d.Channel + "-" + itoa(seq)
		data, ok := arch.data[key]
		if !ok {
			t.Errorf("piece %d (%s) delivered but not archived", seq, d.Channel)
			continue
		}
		var sent []byte
		switch d.Channel {
		case config.EmailChannel:
			msgs := got[d.MessageID]
			if len(msgs) != 1 {
				t.Fatalf("piece %d: %d messages", seq, len(msgs))
			}
			m := mp.Message(t, msgs[0].ID)
			sent = mp.Part(t, msgs[0].ID, m.Attachments[0].PartID)
			if arch.recipient[key] != pieces[seq-1].email {
				t.Errorf("piece %d archived for %q; want %s", seq, arch.recipient[key], pieces[seq-1].email)
			}
			if arch.calls[key] < 3 {
				t.Errorf("piece %d: archiver asked %d times; want one per attempt (3 or more)", seq, arch.calls[key])
			}
		case config.PortalChannel:
			file := filepath.Join(r.dir, "portal", itoa64(j.ID)+"-"+itoa(seq)+".pdf")
			sent, _ = os.ReadFile(file)
			if arch.recipient[key] != file {
				t.Errorf("piece %d archived for %q; want %s", seq, arch.recipient[key], file)
			}
		}
		if len(sent) == 0 || !bytes.Equal(sent, data) {
			t.Errorf("piece %d (%s): delivered %d bytes, archived %d, not identical", seq, d.Channel, len(sent), len(data))
		}
	}
	if _, ok := arch.data["print-3"]; ok || len(arch.data) != 4 {
		t.Errorf("archived %d deliveries; want the 4 digital ones", len(arch.data))
	}
}
