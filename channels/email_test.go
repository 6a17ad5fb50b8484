package channels

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/internal/testpeer"
	"github.com/omsd/omsd/spool"
)

// TestEmailAndPortalThroughMailpit: a run split across print, e-mail and
// portal; every e-mail, read back through mailpit's API, went over
// STARTTLS with AUTH to its recipient with its subject and body from the
// piece's metadata and the piece's own PDF attached byte for byte; the
// portal holds each portal piece's PDF and record; every delivery is a
// piece event.
func TestEmailAndPortalThroughMailpit(t *testing.T) {
	mp := testpeer.StartMailpit(t)
	r := newRig(t, mp, mp.CAFile, "")
	var pieces []piece
	for i := range 15 {
		switch i % 3 {
		case 0:
			pieces = append(pieces, piece{"email", "c" + itoa(i+1) + "@example.com"})
		case 1:
			pieces = append(pieces, piece{"portal", ""})
		default:
			pieces = append(pieces, piece{"", ""})
		}
	}
	j := r.analysedJob(t, pieces)
	r.passUntil(t, "every delivery", func() bool { return r.allIn(t, j.ID, spool.DeliveryDelivered) })
	ds := r.deliveries(t, j.ID)
	if len(ds) != 10 {
		t.Fatalf("%d deliveries; want 10 (5 e-mail, 5 portal)", len(ds))
	}
	got := byMessageID(t, mp)
	if len(got) != 5 {
		t.Fatalf("mailpit holds %d messages; want 5", len(got))
	}
	tracks, _ := r.store.Tracks(j.ID)
	for seq, d := range ds {
		p := pieces[seq-1]
		own, err := os.ReadFile(filepath.Join(r.store.JobDir(j.ID), piecesDir, "piece-"+itoa(seq)+".pdf"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(own, []byte("/account (A"+pad4(seq)+")")) {
			t.Errorf("piece %d's PDF lacks its metadata in the document info", seq)
		}
		switch p.channel {
		case "email":
			msgs := got[d.MessageID]
			if len(msgs) != 1 || len(msgs[0].To) != 1 || msgs[0].To[0].Address != p.email {
				t.Fatalf("piece %d: messages %+v; want one to %s", seq, msgs, p.email)
			}
			m := mp.Message(t, msgs[0].ID)
			if m.Subject != "Statement A"+pad4(seq) || !strings.Contains(m.Text, "Dear Customer "+itoa(seq)+",") || !strings.Contains(m.HTML, "<p>Dear Customer "+itoa(seq)) {
				t.Errorf("piece %d: subject %q text %q html %q", seq, m.Subject, m.Text, m.HTML)
			}
			if len(m.Attachments) != 1 || m.Attachments[0].FileName != "statement-A"+pad4(seq)+".pdf" || m.Attachments[0].ContentType != "application/pdf" {
				t.Fatalf("piece %d: attachments %+v", seq, m.Attachments)
			}
			if att := mp.Part(t, msgs[0].ID, m.Attachments[0].PartID); !bytes.Equal(att, own) {
				t.Errorf("piece %d: the attachment (%d bytes) is not the piece's PDF (%d bytes)", seq, len(att), len(own))
			}
			if !strings.HasPrefix(d.Reply, "2") || !hasEvent(tracks[seq], spool.TrackEmailed, d.MessageID) {
				t.Errorf("piece %d: reply %q, history %+v; want an emailed event with the Message-ID", seq, d.Reply, tracks[seq])
			}
		case "portal":
			base := filepath.Join(r.dir, "portal", itoa64(j.ID)+"-"+itoa(seq))
			pdf, err := os.ReadFile(base + ".pdf")
			if err != nil || !bytes.Equal(pdf, own) {
				t.Errorf("piece %d: portal PDF %v, identical %v", seq, err, bytes.Equal(pdf, own))
			}
			if rec, err := os.ReadFile(base + ".json"); err != nil || !bytes.Contains(rec, []byte(`"account": "A`+pad4(seq)+`"`)) {
				t.Errorf("piece %d: portal record %s %v", seq, rec, err)
			}
			if !hasEvent(tracks[seq], spool.TrackPortalDelivered, base+".pdf") {
				t.Errorf("piece %d: history %+v; want portal-delivered", seq, tracks[seq])
			}
		default:
			t.Errorf("piece %d (print) has a delivery %+v", seq, d)
		}
	}
}

// TestTemporaryFailuresAreRetried: while mailpit answers 451 to RCPT the
// pieces wait for their next try, the Message-ID kept; once it accepts,
// each is delivered once.
func TestTemporaryFailuresAreRetried(t *testing.T) {
	mp := testpeer.StartMailpit(t)
	r := newRig(t, mp, mp.CAFile, "")
	r.s.cfg.Workflows[0].Channels.Email.Attempts = 100
	j := r.analysedJob(t, []piece{{"email", "a@example.com"}, {"email", "b@example.com"}})
	mp.Chaos(t, `{"Recipient":{"ErrorCode":451,"Probability":100}}`)
	first := map[int]string{}
	r.passUntil(t, "two failed attempts of each", func() bool {
		ds := r.deliveries(t, j.ID)
		done := len(ds) == 2
		for seq, d := range ds {
			if first[seq] == "" {
				first[seq] = d.MessageID
			}
			done = done && d.Attempts >= 2
		}
		return done
	})
	for _, d := range r.deliveries(t, j.ID) {
		if d.State != spool.DeliveryPending || !strings.Contains(d.Error, "451") {
			t.Errorf("piece %d under 451: %s %q; want pending with the 451 reply", d.Seq, d.State, d.Error)
		}
	}
	mp.Chaos(t, `{}`)
	r.passUntil(t, "delivery", func() bool { return r.allIn(t, j.ID, spool.DeliveryDelivered) })
	got := byMessageID(t, mp)
	for seq, d := range r.deliveries(t, j.ID) {
		if d.MessageID != first[seq] || len(got[d.MessageID]) != 1 {
			t.Errorf("piece %d: Message-ID %s (first %s), %d messages; want the same ID, one message", seq, d.MessageID, first[seq], len(got[d.MessageID]))
		}
	}
}

// TestPermanentFailureFallsBackToPrint: a recipient the server refuses
// with 550 is not tried again; the piece goes to a new print job of the
// workflow with its pages and metadata, channel print, and its history
// says why.
func TestPermanentFailureFallsBackToPrint(t *testing.T) {
	mp := testpeer.StartMailpit(t, "--smtp-allowed-recipients", `@example\.com$`)
	r := newRig(t, mp, mp.CAFile, "")
	j := r.analysedJob(t, []piece{{"email", "a@example.com"}, {"email", "gone@bounce.test"}, {"", ""}, {"email", "also-gone@bounce.test"}})
	r.passUntil(t, "fallback", func() bool { return r.allIn(t, j.ID, spool.DeliveryDelivered, spool.DeliveryFellBack) })
	ds := r.deliveries(t, j.ID)
	if ds[1].State != spool.DeliveryDelivered || ds[2].State != spool.DeliveryFellBack || ds[4].State != spool.DeliveryFellBack {
		t.Fatalf("deliveries %+v", ds)
	}
	if ds[2].Attempts != 1 || !strings.Contains(ds[2].Error, "550") || ds[2].FallbackJob == 0 || ds[2].FallbackJob != ds[4].FallbackJob {
		t.Fatalf("piece 2: %+v; want one attempt, the 550, and a fallback job shared with piece 4", ds[2])
	}
	fj, err := r.store.Job(ds[2].FallbackJob)
	if err != nil {
		t.Fatal(err)
	}
	if fj.State != spool.Pending || fj.Workflow != "mail" || fj.Pieces != 0 {
		t.Fatalf("fallback job %+v; want pending for analysis", fj)
	}
	fj = r.analyse(t, fj)
	fpieces, _ := r.store.Pieces(fj.ID)
	if len(fpieces) != 2 || fpieces[0].Meta.Get("account") != "A0002" || fpieces[1].Meta.Get("account") != "A0004" {
		t.Fatalf("fallback pieces %+v", fpieces)
	}
	for _, p := range fpieces {
		if !p.Printed() || p.Meta.Get("fallback_of") == "" {
			t.Errorf("fallback piece %+v is not printed or does not say what it replaces", p)
		}
	}
	if fj.Pages != 2+1 { // pieces 2 and 4 have 2 and 1 pages (analysedJob)
		t.Errorf("the fallback job has %d pages; want 3", fj.Pages)
	}
	tracks, _ := r.store.Tracks(j.ID)
	if !hasEvent(tracks[2], spool.TrackFellBack, "printed in job "+itoa64(fj.ID)) || !hasEvent(tracks[2], spool.TrackFellBack, "550") {
		t.Errorf("piece 2's history %+v; want fell-back-to-print with the 550 and the job", tracks[2])
	}
	r.s.pass(t.Context())
	if has, _ := r.store.HasDeliveries(fj.ID); !has {
		t.Error("the fallback job was not looked at")
	} else if fds := r.deliveries(t, fj.ID); len(fds) != 0 {
		t.Errorf("the fallback job's pieces are delivered digitally again: %+v", fds)
	}
	if n := len(mp.Messages(t)); n != 1 {
		t.Errorf("mailpit holds %d messages; want 1", n)
	}
}

// TestCertificateFromAnotherCAIsRefused: a server whose certificate the
// configured CA did not issue gets no piece; with insecure: true it does.
func TestCertificateFromAnotherCAIsRefused(t *testing.T) {
	mp := testpeer.StartMailpit(t)
	other := testpeer.StartMailpit(t) // its certificate is another CA's
	r := newRig(t, mp, other.CAFile, "")
	j := r.analysedJob(t, []piece{{"email", "a@example.com"}})
	r.passUntil(t, "an attempt", func() bool { return r.deliveries(t, j.ID)[1].Attempts >= 1 })
	d := r.deliveries(t, j.ID)[1]
	if d.State == spool.DeliveryDelivered || !strings.Contains(d.Error, "certificate") {
		t.Fatalf("delivery to a server with another CA's certificate: %s %q", d.State, d.Error)
	}
	if n := len(mp.Messages(t)); n != 0 {
		t.Fatalf("mailpit received %d messages over an unverified connection", n)
	}
	r2 := newRig(t, mp, other.CAFile, "")
	r2.s.cfg.Workflows[0].Channels.Email.Insecure = true
	m, err := newMailer(r2.s.cfg.Workflows[0].Channels.Email, r2.s.log)
	if err != nil {
		t.Fatal(err)
	}
	r2.s.mailers["mail"] = m
	j2 := r2.analysedJob(t, []piece{{"email", "a@example.com"}})
	r2.passUntil(t, "delivery with insecure: true", func() bool { return r2.allIn(t, j2.ID, spool.DeliveryDelivered) })
}

func hasEvent(evs []spool.PieceEvent, kind, detail string) bool {
	for _, e := range evs {
		if e.Kind == kind && strings.Contains(e.Detail, detail) {
			return true
		}
	}
	return false
}

func pad4(n int) string {
	s := itoa(n)
	for len(s) < 4 {
		s = "0" + s
	}
	return s
}

// TestFallbackWaitsForTheCutoff: with fallback_cutoffs a refused piece
// waits, failed, for the next cut-off; at the cut-off it goes to print.
func TestFallbackWaitsForTheCutoff(t *testing.T) {
	mp := testpeer.StartMailpit(t, "--smtp-allowed-recipients", `@example\.com$`)
	r := newRig(t, mp, mp.CAFile, "")
	ch := r.s.cfg.Workflows[0].Channels
	later := time.Now().Add(2 * time.Hour).Format("15:04")
	ch.FallbackCutoffs = []string{later}
	j := r.analysedJob(t, []piece{{"email", "gone@bounce.test"}})
	r.passUntil(t, "the refusal", func() bool { return r.deliveries(t, j.ID)[1].State == spool.DeliveryFailed })
	for range 3 {
		r.s.pass(t.Context())
	}
	if d := r.deliveries(t, j.ID)[1]; d.State != spool.DeliveryFailed || d.FallbackJob != 0 {
		t.Fatalf("before the cut-off: %+v; want failed, waiting", d)
	}
	// The piece failed two minutes ago, and a cut-off has passed since.
	d := r.deliveries(t, j.ID)[1]
	d.FailedAt = time.Now().Add(-2 * time.Minute)
	r.store.PutDeliveries([]spool.Delivery{d}, nil)
	ch.FallbackCutoffs = []string{time.Now().Add(-time.Minute).Format("15:04"), later}
	r.passUntil(t, "the fallback at the cut-off", func() bool { return r.deliveries(t, j.ID)[1].State == spool.DeliveryFellBack })
}

// TestSeveralConnections: with connections: 4 every piece is e-mailed
// once over several SMTP sessions at once, each recorded with its own
// Message-ID; a refused one still falls back to print.
func TestSeveralConnections(t *testing.T) {
	mp := testpeer.StartMailpit(t, "--smtp-allowed-recipients", `@example\.com$`)
	r := newRig(t, mp, mp.CAFile, "")
	r.s.cfg.Workflows[0].Channels.Email.Connections = 4
	var pieces []piece
	for i := range 24 {
		addr := "c" + itoa(i+1) + "@example.com"
		if i == 9 {
			addr = "gone@bounce.test"
		}
		pieces = append(pieces, piece{"email", addr})
	}
	j := r.analysedJob(t, pieces)
	r.passUntil(t, "the deliveries", func() bool { return r.allIn(t, j.ID, spool.DeliveryDelivered, spool.DeliveryFellBack) })
	got := byMessageID(t, mp)
	for seq, d := range r.deliveries(t, j.ID) {
		if seq == 10 {
			if d.State != spool.DeliveryFellBack {
				t.Errorf("piece 10: %+v; want fallen back", d)
			}
			continue
		}
		if d.State != spool.DeliveryDelivered || len(got[d.MessageID]) != 1 || got[d.MessageID][0].To[0].Address != pieces[seq-1].email {
			t.Errorf("piece %d: %+v, %d messages", seq, d, len(got[d.MessageID]))
		}
	}
	if n := len(mp.Messages(t)); n != 23 {
		t.Errorf("%d messages; want 23", n)
	}
}
