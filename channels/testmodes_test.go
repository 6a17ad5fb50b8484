package channels

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/internal/testpeer"
	"github.com/omsd/omsd/spool"
)

// TestPauseAndRedirect: with pause_email nothing is sent and the pieces
// wait; with redirect_all_to every e-mail goes to that one address.
func TestPauseAndRedirect(t *testing.T) {
	mp := testpeer.StartMailpit(t)
	r := newRig(t, mp, mp.CAFile, "      pause_email: true\n      redirect_all_to: qa@example.com\n")
	j := r.analysedJob(t, []piece{{"email", "a@example.com"}, {"email", "b@example.com"}, {"portal", ""}})
	r.passUntil(t, "the portal piece", func() bool { return r.deliveries(t, j.ID)[3].State == spool.DeliveryDelivered })
	for range 3 {
		r.s.pass(t.Context())
	}
	for _, seq := range []int{1, 2} {
		if d := r.deliveries(t, j.ID)[seq]; d.State != spool.DeliveryPending || d.Attempts != 0 {
			t.Errorf("piece %d while e-mail is paused: %+v", seq, d)
		}
	}
	if n := len(mp.Messages(t)); n != 0 {
		t.Fatalf("%d messages sent while e-mail is paused", n)
	}
	r.s.cfg.Workflows[0].Channels.PauseEmail = false
	r.passUntil(t, "e-mail", func() bool { return r.allIn(t, j.ID, spool.DeliveryDelivered) })
	msgs := mp.Messages(t)
	if len(msgs) != 2 {
		t.Fatalf("%d messages; want 2", len(msgs))
	}
	for _, m := range msgs {
		if len(m.To) != 1 || m.To[0].Address != "qa@example.com" {
			t.Errorf("message %s to %+v; want qa@example.com only", m.MessageID, m.To)
		}
	}
}

// TestInsecureIsLogged: skipping certificate verification is said at
// start, as a warning.
func TestInsecureIsLogged(t *testing.T) {
	var buf bytes.Buffer
	e := &config.EmailSettings{Host: "smtp.example.com", Port: 587, Security: "starttls", Insecure: true}
	m, err := newMailer(e, zerolog.New(&buf))
	if err != nil {
		t.Fatal(err)
	}
	if !m.tls.InsecureSkipVerify || !strings.Contains(buf.String(), `"level":"warn"`) || !strings.Contains(buf.String(), "NOT verified") {
		t.Errorf("insecure: skip %v, log %s", m.tls.InsecureSkipVerify, buf.String())
	}
	buf.Reset()
	e.Insecure = false
	if m, _ = newMailer(e, zerolog.New(&buf)); m.tls.InsecureSkipVerify || buf.Len() != 0 {
		t.Errorf("secure by default: skip %v, log %s", m.tls.InsecureSkipVerify, buf.String())
	}
}
