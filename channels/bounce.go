package channels

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/omsd/omsd/atomicfile"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/spool"
)

// maxBounceSize is how much of a bounce message is read: the DSN's
// report and the returned headers come first.
const maxBounceSize = 1 << 20

// ourMessageID matches the Message-IDs this package writes
// (newMessageID): job and piece are in it.
var ourMessageID = regexp.MustCompile(`omsd\.(\d+)\.(\d+)\.[0-9a-f]{16}@[^>\s]+`)

// diagnostics find a DSN's Diagnostic-Code line, else its Status.
var diagnostics = []*regexp.Regexp{
	regexp.MustCompile(`(?mi)^Diagnostic-Code:\s*(.+?)\r?$`),
	regexp.MustCompile(`(?mi)^Status:\s*(.+?)\r?$`),
}

// readBounces reads the bounce folders of the e-mail channels: a bounce
// naming a delivered piece's Message-ID fails that delivery (it falls back
// to print at the job's next delivery pass). The delivery is recorded
// before the file moves to done/, so a crash between reads the file again
// and finds the delivery no longer delivered.
func (s *Service) readBounces() {
	dirs := map[string]bool{}
	for _, wf := range s.cfg.Workflows {
		if ch := wf.Channels; ch != nil && ch.Email != nil && ch.Email.BounceDir != "" {
			dirs[ch.Email.BounceDir] = true
		}
	}
	for dir := range dirs {
		if err := s.readBounceDir(dir); err != nil {
			s.log.Error().Err(err).Str("dir", dir).Msg("reading bounces")
		}
	}
}

func (s *Service) readBounceDir(dir string) error {
	names, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	if err != nil {
		return err
	}
	for _, name := range names {
		if err := s.readBounce(name); err != nil {
			s.log.Warn().Err(err).Str("file", name).Msg("a bounce file could not be applied; it stays for the next look")
			continue
		}
		if err := os.MkdirAll(filepath.Join(dir, "done"), 0o755); err != nil {
			return err
		}
		if err := atomicfile.Move(name, atomicfile.FreeName(filepath.Join(dir, "done", filepath.Base(name)))); err != nil {
			return err
		}
	}
	return nil
}

// readBounce fails the delivered e-mails a bounce file names.
func (s *Service) readBounce(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	b, err := io.ReadAll(io.LimitReader(f, maxBounceSize))
	f.Close()
	if err != nil {
		return err
	}
	if !isDSN(b) {
		s.log.Warn().Str("file", name).Msg("not a delivery status notification (multipart/report, delivery-status): ignored")
		return nil
	}
	return s.applyBounce(b, filepath.Base(name))
}

// isDSN reports whether a message is a delivery status notification
// (RFC 3464): only those fail a delivery, never the pieces' own e-mails
// that a shared mailbox may hold too.
func isDSN(b []byte) bool {
	l := strings.ToLower(string(b))
	return strings.Contains(l, "report-type=delivery-status") || strings.Contains(l, "report-type=\"delivery-status\"") ||
		strings.Contains(l, "content-type: message/delivery-status")
}

// applyBounce fails the delivered e-mails a DSN names; source names it
// in the pieces' histories.
func (s *Service) applyBounce(b []byte, source string) error {
	why := "bounced"
	for _, re := range diagnostics {
		if m := re.FindSubmatch(b); m != nil {
			why = "bounced: " + strings.TrimSpace(string(m[1]))
			break
		}
	}
	seen := map[string]bool{}
	for _, m := range ourMessageID.FindAllSubmatch(b, -1) {
		id := string(m[0])
		if seen[id] {
			continue
		}
		seen[id] = true
		job, _ := strconv.ParseInt(string(m[1]), 10, 64)
		seq, _ := strconv.Atoi(string(m[2]))
		if err := s.bounce(job, seq, id, why+" ("+source+")"); err != nil {
			return err
		}
	}
	return nil
}

// bounce fails the delivery of piece seq of job if it is the delivered
// e-mail with Message-ID id.
func (s *Service) bounce(job int64, seq int, id, why string) error {
	ds, err := s.store.Deliveries(job)
	if err != nil {
		return err
	}
	d, ok := ds[seq]
	if !ok || d.MessageID != id || d.State != spool.DeliveryDelivered {
		return nil // not ours, or already handled
	}
	j, err := s.store.Job(job)
	if errors.Is(err, spool.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	d.State, d.Error = spool.DeliveryFailed, why
	entry := spool.TrackEntry{Root: jobs.Root(j), Seq: seq, Event: spool.PieceEvent{Time: time.Now().UTC(), Kind: spool.TrackBounced, Job: job,
		Detail: fmt.Sprintf("Message-ID <%s> %s", id, why)}}
	if err := s.store.PutDeliveries([]spool.Delivery{d}, []spool.TrackEntry{entry}); err != nil {
		return err
	}
	s.log.Warn().Int64("job", job).Int("piece", seq).Str("message_id", id).Str("why", why).Msg("an e-mailed piece bounced; it goes to print")
	return nil
}

// bounceConfigured reports whether any workflow reads bounces.
func bounceConfigured(cfg *config.Config) bool {
	for _, wf := range cfg.Workflows {
		if ch := wf.Channels; ch != nil && ch.Email != nil && (ch.Email.BounceDir != "" || ch.Email.BouncePOP3 != nil) {
			return true
		}
	}
	return false
}
