package channels

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/internal/testpeer"
	"github.com/omsd/omsd/spool"
)

// dsn is a delivery status notification (RFC 3464) returning the headers
// of the message with Message-ID id.
func dsn(id string) string {
	return "From: MAILER-DAEMON@relay.test\r\nTo: noreply@bank.test\r\nSubject: Undelivered Mail Returned to Sender\r\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n" +
		"--b\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n" +
		"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; relay.test\r\n\r\n" +
		"Final-Recipient: rfc822; b@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\r\n" +
		"--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <" + id + ">\r\nSubject: Statement\r\n--b--\r\n"
}

// TestBounceFallsBackToPrint: a bounce in the bounce folder naming a
// delivered piece's Message-ID sends the piece to print, with a bounced
// event saying why; the file moves to done/; a bounce naming no piece of
// ours changes nothing.
func TestBounceFallsBackToPrint(t *testing.T) {
	mp := testpeer.StartMailpit(t)
	r := newRig(t, mp, mp.CAFile, "")
	bounces := filepath.Join(r.dir, "bounces")
	r.s.cfg.Workflows[0].Channels.Email.BounceDir = bounces
	j := r.analysedJob(t, []piece{{"email", "a@example.com"}, {"email", "b@example.com"}})
	r.passUntil(t, "delivery", func() bool { return r.allIn(t, j.ID, spool.DeliveryDelivered) })
	id := r.deliveries(t, j.ID)[2].MessageID
	os.MkdirAll(bounces, 0o755)
	os.WriteFile(filepath.Join(bounces, "1.eml"), []byte(dsn(id)), 0o644)
	os.WriteFile(filepath.Join(bounces, "2.eml"), []byte(dsn("omsd.99.1.0123456789abcdef@bank.test")), 0o644)
	r.passUntil(t, "the fallback", func() bool { return r.deliveries(t, j.ID)[2].State == spool.DeliveryFellBack })
	ds := r.deliveries(t, j.ID)
	if ds[1].State != spool.DeliveryDelivered || !strings.Contains(ds[2].Error, "550 5.1.1 user unknown") || ds[2].FallbackJob == 0 {
		t.Errorf("deliveries %+v", ds)
	}
	tracks, _ := r.store.Tracks(j.ID)
	if !hasEvent(tracks[2], spool.TrackBounced, id) || !hasEvent(tracks[2], spool.TrackFellBack, "printed in job") {
		t.Errorf("piece 2's history %+v", tracks[2])
	}
	for _, name := range []string{"1.eml", "2.eml"} {
		if _, err := os.Stat(filepath.Join(bounces, "done", name)); err != nil {
			t.Errorf("%s not moved to done: %v", name, err)
		}
	}
}

// TestBounceMailboxPOP3: DSNs in a POP3 mailbox (mailpit's, over TLS,
// its certificate verified) send the bounced piece to print and are
// deleted; the mailbox's other messages (the pieces' own e-mails) are
// left and bounce nothing.
func TestBounceMailboxPOP3(t *testing.T) {
	mp := testpeer.StartMailpitPOP3(t)
	r := newRig(t, mp, mp.CAFile, "")
	r.s.cfg.Workflows[0].Channels.Email.BouncePOP3 = &config.POP3Settings{Host: "localhost", Port: mp.POP3Port,
		Username: testpeer.POP3User, Password: testpeer.POP3Password, CAFile: mp.CAFile}
	r.s.mailboxEvery = 0
	j := r.analysedJob(t, []piece{{"email", "a@example.com"}, {"email", "b@example.com"}})
	r.passUntil(t, "delivery", func() bool { return r.allIn(t, j.ID, spool.DeliveryDelivered) })
	id := r.deliveries(t, j.ID)[1].MessageID
	mp.SendRaw(t, "mailer-daemon@relay.test", "noreply@bank.test", []byte(dsn(id)))
	r.passUntil(t, "the fallback", func() bool { return r.deliveries(t, j.ID)[1].State == spool.DeliveryFellBack })
	ds := r.deliveries(t, j.ID)
	if ds[2].State != spool.DeliveryDelivered || !strings.Contains(ds[1].Error, "550 5.1.1 user unknown") || !strings.Contains(ds[1].Error, "POP3") {
		t.Errorf("deliveries %+v", ds)
	}
	// mailpit deletes a message DELEted over POP3: the DSN is gone, the two statements stay.
	waitMessages := func() int { return len(mp.Messages(t)) }
	r.passUntil(t, "the DSN deleted", func() bool { return waitMessages() == 2 })
}
