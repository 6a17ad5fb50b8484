// Package channels delivers mail pieces on digital channels. It decides
// each piece's channel before planning (Route, which analysis calls:
// metadata field, preference file, rules, default), and after analysis it
// e-mails the pieces chosen for e-mail — each its own PDF (PDF/A-2b or
// password-protected if asked), over SMTP with a verified TLS certificate,
// S/MIME-signed and encrypted where configured — and drops those for the
// portal into a directory (each file atomic) or posts them to a signed
// webhook. A piece that cannot be delivered for good (a 5xx reply, the
// attempts used up, a bounce read from a folder or a POP3 mailbox, a
// portal piece not opened in time) falls back to paper: a new print job
// of those pieces, analysed, planned and marked like any other.
//
// Its state is the spool's delivery records (Store.PutDeliveries): each
// delivery is recorded before its attempt starts and when it ends (the
// end sharing the commit of the next start), so that after a crash an
// attempt whose outcome was not recorded is made again with the same
// Message-ID, and none is made twice once recorded. Every outcome is a
// piece event (emailed, portal-delivered, bounced, opened,
// fell-back-to-print) in the piece's history.
//
// With an Archiver (WithArchiver) each delivery is archived, the exact
// bytes attached or dropped, before it is attempted; while the archive
// cannot take it the delivery waits, pending with the reason, and is
// never made unarchived.
//
// Jobs it writes: fallback print jobs (pending, then analysed by package
// analysis). It reads analysed jobs' pieces. It never changes the state
// of the jobs it delivers from.
package channels

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/events"
	"github.com/omsd/omsd/spool"
)

// Errors of the package.
var (
	// ErrPreferences is a preference file that cannot be read.
	ErrPreferences = errors.New("channels: preference file")
	// ErrConfig is a channel configuration that cannot be used.
	ErrConfig = errors.New("channels: configuration")
)

// pollInterval is how often the service looks for work without a wake:
// new jobs analysed, retries due.
const pollInterval = 5 * time.Second

// Service decides channels and delivers digital pieces.
type Service struct {
	cfg      *config.Config
	store    *spool.Store
	pub      *events.Publisher
	wake     *events.Signal // a job was analysed, or a setting changed
	received events.Waker   // analysis: a fallback job is ready
	log      zerolog.Logger
	prefs    preferences

	mailers  map[string]*mailer // by workflow
	archiver Archiver           // nil: deliveries are not archived

	// mailboxEvery is how often the bounce mailboxes are read at most.
	mailboxEvery time.Duration
	mailboxRead  time.Time

	mu       sync.Mutex
	known    map[int64]bool // jobs whose deliveries were set up, or that have none
	scanned  bool           // every job was read once
	eventSeq uint64         // the last event read
}

// New returns the channels service: wake tells it a job was analysed,
// received is woken when a fallback print job is ready for analysis. It
// fails when an e-mail channel's CA file cannot be read.
func New(cfg *config.Config, store *spool.Store, pub *events.Publisher, wake *events.Signal, received events.Waker, log zerolog.Logger, opts ...Option) (*Service, error) {
	s := &Service{cfg: cfg, store: store, pub: pub, wake: wake, received: received, log: log,
		mailers: map[string]*mailer{}, known: map[int64]bool{}, mailboxEvery: pollInterval}
	for _, o := range opts {
		o(s)
	}
	for _, wf := range cfg.Workflows {
		if wf.Channels == nil || wf.Channels.Email == nil {
			continue
		}
		m, err := newMailer(wf.Channels.Email, log.With().Str("workflow", wf.Name).Logger())
		if err != nil {
			return nil, err
		}
		s.mailers[wf.Name] = m
		if p := wf.Channels.Email.BouncePOP3; p != nil && p.Insecure {
			log.Warn().Str("workflow", wf.Name).Str("host", p.Host).Msg("email.bounce_pop3.insecure is set: the POP3 server's certificate is NOT verified")
		}
	}
	return s, nil
}

// Loops are the service's long-running loops.
func (s *Service) Loops() []func(context.Context) error {
	return []func(context.Context) error{s.run}
}

// run delivers what is due whenever woken, on each poll, and when the
// next retry is due.
func (s *Service) run(ctx context.Context) error {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.wake.C():
		case <-timer.C:
		}
		next := s.pass(ctx)
		wait := pollInterval
		if !next.IsZero() {
			wait = min(wait, max(time.Until(next), 0))
		}
		timer.Reset(wait)
	}
}

// pass sets up the deliveries of newly analysed jobs, delivers what is
// due, and sends failed pieces to print. It returns when the next retry
// is due (zero: none waits).
func (s *Service) pass(ctx context.Context) time.Time {
	if err := s.discover(); err != nil {
		s.log.Error().Err(err).Msg("finding pieces to deliver")
	}
	if bounceConfigured(s.cfg) {
		s.readBounces()
		if time.Since(s.mailboxRead) >= s.mailboxEvery {
			s.mailboxRead = time.Now()
			s.readBounceMailboxes()
		}
	}
	s.readOpened()
	ids, err := s.store.OpenDeliveryJobs()
	if err != nil {
		s.log.Error().Err(err).Msg("reading open deliveries")
		return time.Time{}
	}
	var next time.Time
	for _, id := range ids {
		if ctx.Err() != nil {
			return next
		}
		n, err := s.deliverJob(ctx, id)
		if err != nil {
			s.log.Error().Err(err).Int64("job", id).Msg("delivering pieces")
		}
		if !n.IsZero() && (next.IsZero() || n.Before(next)) {
			next = n
		}
	}
	return next
}
