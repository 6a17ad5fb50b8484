package channels

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"os"
	"strings"
	texttemplate "text/template"
	"time"

	mail "github.com/wneessen/go-mail"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/internal/failpoint"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/spool"
)

// templateData is what the subject, body and attachment name templates
// see of a piece.
type templateData struct {
	Job     int64
	Seq     int
	Name    string
	Meta    map[string]string
	Channel string
}

// email sends piece p of the journal's job to its recipient with the piece's PDF
// attached, and returns the delivery as recorded: delivered, pending a
// retry (a temporary failure), or failed for good (a 5xx reply, or the
// attempts are used up). The attempt is recorded (state sending, with
// its Message-ID, with the outcome of the attempt before) before it
// starts; its outcome is noted in the journal.
func (s *Service) email(ctx context.Context, wf config.Workflow, m *mailer, jn *journal, docs *pieceDocs, p mailpiece.Piece, d spool.Delivery) (spool.Delivery, error) {
	e, j := wf.Channels.Email, jn.job
	file, err := docs.file(p)
	if jn.failedPDFA(&d, err) {
		return d, nil
	}
	if err != nil {
		return d, err
	}
	if d.MessageID == "" {
		d.MessageID = newMessageID(j.ID, p.Seq, e.From)
	}
	to := d.To
	if wf.Channels.RedirectAllTo != "" {
		to = wf.Channels.RedirectAllTo
	}
	if e.PDFPassword != "" {
		if file, err = protect(e, docs, j, p); err != nil && !errors.Is(err, errNoPassword) {
			return d, err
		}
	}
	msg, err := message(e, j, p, d.MessageID, to, file, err)
	if err != nil {
		d.State, d.Error = spool.DeliveryFailed, err.Error()
		jn.note(d, "", "")
		return d, nil
	}
	if !s.archive(ctx, jn, p, &d, to, file) {
		return d, nil
	}
	d.State, d.Attempts = spool.DeliverySending, d.Attempts+1
	if err := jn.record(d, "", ""); err != nil {
		return d, err
	}
	failpoint.Hit("channels-email-recorded")
	reply, err := m.send(ctx, msg, to)
	failpoint.Hit("channels-email-sent")
	if err == nil {
		d.State, d.Reply, d.Error, d.NextTry = spool.DeliveryDelivered, reply, "", time.Time{}
		detail := "Message-ID <" + d.MessageID + "> to " + to + "; " + reply
		s.log.Info().Int64("job", j.ID).Int("piece", p.Seq).Str("message_id", d.MessageID).Msg("piece e-mailed")
		jn.note(d, spool.TrackEmailed, detail)
		return d, nil
	}
	if ctx.Err() != nil {
		return d, ctx.Err() // stopping: the attempt is made again at the next start
	}
	permanent, code := outcome(err)
	d.Error = err.Error()
	switch {
	case permanent:
		d.State = spool.DeliveryFailed
	case d.Attempts >= e.Attempts:
		d.State = spool.DeliveryFailed
		d.Error = "no success after " + itoa(d.Attempts) + " attempts; the last: " + d.Error
	default:
		d.State = spool.DeliveryPending
		d.NextTry = time.Now().Add(time.Duration(e.Backoff) << (d.Attempts - 1))
	}
	s.log.Warn().Err(err).Int64("job", j.ID).Int("piece", p.Seq).Int("code", code).Int("attempt", d.Attempts).
		Str("state", d.State).Msg("e-mailing a piece failed")
	jn.note(d, "", "")
	return d, nil
}

// errNoPassword is a piece whose PDF password comes out empty.
var errNoPassword = errors.New("no PDF password")

// protect returns the piece's PDF protected with its password.
func protect(e *config.EmailSettings, docs *pieceDocs, j spool.Job, p mailpiece.Piece) (string, error) {
	pw, err := runText("pdf_password", e.PDFPassword, templateData{Job: j.ID, Seq: p.Seq, Name: p.Name, Meta: p.Meta.Map(), Channel: p.Channel})
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(pw) == "" {
		return "", fmt.Errorf("%w: email.pdf_password gives piece %d none (its metadata lacks the field)", errNoPassword, p.Seq)
	}
	return docs.lockedFile(p, pw, e.PDFOwnerPassword)
}

// message builds the e-mail of piece p; err is a failure preparing it.
func message(e *config.EmailSettings, j spool.Job, p mailpiece.Piece, id, to, file string, err error) (*mail.Msg, error) {
	if err != nil {
		return nil, err
	}
	data := templateData{Job: j.ID, Seq: p.Seq, Name: p.Name, Meta: p.Meta.Map(), Channel: p.Channel}
	subject, err := runText("subject", e.Subject, data)
	if err != nil {
		return nil, err
	}
	text, err := runText("text", e.Text, data)
	if err != nil {
		return nil, err
	}
	name, err := runText("attachment", e.Attachment, data)
	if err != nil {
		return nil, err
	}
	m := mail.NewMsg()
	if err := m.From(e.From); err != nil {
		return nil, err
	}
	if err := m.To(to); err != nil {
		return nil, err
	}
	m.Subject(strings.TrimSpace(subject))
	m.SetMessageIDWithValue(id)
	m.SetDate()
	m.SetBodyString(mail.TypeTextPlain, text)
	if e.HTML != "" {
		html, err := runHTML(e.HTML, data)
		if err != nil {
			return nil, err
		}
		m.AddAlternativeString(mail.TypeTextHTML, html)
	}
	if _, err := os.Stat(file); err != nil {
		return nil, err
	}
	m.AttachFile(file, mail.WithFileName(name), mail.WithFileContentType(mail.ContentType("application/pdf")))
	return m, nil
}

func runText(name, tmpl string, data templateData) (string, error) {
	t, err := texttemplate.New(name).Option("missingkey=zero").Parse(tmpl)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	err = t.Execute(&b, data)
	return b.String(), err
}

func runHTML(tmpl string, data templateData) (string, error) {
	t, err := htmltemplate.New("html").Option("missingkey=zero").Parse(tmpl)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	err = t.Execute(&b, data)
	return b.String(), err
}

// newMessageID is a Message-ID unique to one piece's delivery, kept for
// all its attempts: omsd.JOB.SEQ.RANDOM@DOMAIN (the sender's domain).
func newMessageID(job int64, seq int, from string) string {
	var r [8]byte
	rand.Read(r[:])
	domain := "omsd.invalid"
	if at := strings.LastIndexByte(from, '@'); at >= 0 {
		domain = strings.Trim(from[at+1:], "> ")
	}
	return "omsd." + itoa64(job) + "." + itoa(seq) + "." + hex.EncodeToString(r[:]) + "@" + domain
}
