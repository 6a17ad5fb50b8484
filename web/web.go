// Package web is omsd's web console: server-rendered pages (html/template)
// for the print room and the mail line — printers, jobs, pieces with their
// sheet previews, alarms, the audit trail — and the operator actions on
// them, each behind a confirmation step that states its consequence.
//
// The console reads and acts through the same localapi.Backend as the
// local API: one set of logic, two renderings. It never opens the spool.
// Live updates come from the backend's event stream as Server-Sent Events;
// the vendored htmx (static/htmx.min.js, version and SHA-256 in htmx.go)
// swaps the live part of a page when an event arrives.
//
// Access: users from a users file (package users) with roles viewer,
// operator and admin; session cookies Secure, HttpOnly, SameSite=Strict,
// expiring; login attempts throttled after failures; every state-changing
// request passes http.CrossOriginProtection; every action (allowed or
// refused) is written to the audit trail (package audit).
package web

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/audit"
	"github.com/omsd/omsd/localapi"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Errors of New.
var (
	ErrNoUsers = errors.New("web: no users file given")
	ErrNoAudit = errors.New("web: no audit trail given")
)

// Options configure a Console.
type Options struct {
	Backend   localapi.Backend
	UsersFile string     // read at each login, so that new users need no restart
	Audit     *audit.Log // where every action is recorded; required
	// SessionLifetime is how long a login lasts (default 8h).
	SessionLifetime time.Duration
	Log             zerolog.Logger
	// Now is the clock (time.Now if nil).
	Now func() time.Time
}

// Console is the web console's handler.
type Console struct {
	b        localapi.Backend
	opt      Options
	log      zerolog.Logger
	pages    map[string]*template.Template
	sessions *sessions
	throttle *throttle
	live     *live
	handler  http.Handler
	once     sync.Once
}

// New returns the console over opt.Backend.
func New(opt Options) (*Console, error) {
	if opt.SessionLifetime == 0 {
		opt.SessionLifetime = 8 * time.Hour
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.UsersFile == "" {
		return nil, ErrNoUsers
	}
	if opt.Audit == nil {
		return nil, ErrNoAudit
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	c := &Console{
		b: opt.Backend, opt: opt, log: opt.Log.With().Str("component", "console").Logger(),
		pages:    pages,
		sessions: newSessions(opt.SessionLifetime, opt.Now),
		throttle: newThrottle(opt.Now),
		live:     newLive(),
	}
	c.handler = c.routes()
	return c, nil
}

// Run follows the backend's events for the overview (each printer's
// progress, the alarms raised) until ctx ends.
func (c *Console) Run(ctx context.Context) error {
	return c.live.follow(ctx, c.b)
}

// startKey keys the time a request arrived in its context.
type startKey struct{}

// ServeHTTP implements http.Handler.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r = r.WithContext(context.WithValue(r.Context(), startKey{}, time.Now()))
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	c.handler.ServeHTTP(w, r)
}

// routes builds the mux behind the cross-origin protection.
func (c *Console) routes() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /login", c.loginPage)
	mux.HandleFunc("POST /login", c.login)
	mux.HandleFunc("POST /logout", c.logout)

	view := func(p string, fn viewFunc) { mux.Handle("GET "+p, c.authed(fn)) }
	view("/{$}", c.overview)
	view("/jobs", c.jobsPage)
	view("/jobs/{id}", c.jobPage)
	view("/jobs/{id}/pieces/{seq}", c.piecePage)
	view("/printers", c.printersPage)
	view("/audit", c.auditPage)
	view("/lines", c.linesPage)
	view("/reports", c.reportsPage)
	mux.Handle("GET /reports/chart.png", c.authed(c.reportChart))
	view("/archive", c.archivePage)
	view("/archive/{id}", c.archivePiecePage)
	mux.Handle("GET /archive/{id}/data", c.authed(c.archiveData))
	view("/archive/{id}/do/reprint", c.confirmArchiveReprint)
	mux.Handle("POST /archive/{id}/do/reprint", c.authed(c.doArchiveReprint))
	view("/jobs/{id}/do/{action}", c.confirmJob)
	view("/printers/{name}/do/{action}", c.confirmPrinter)
	mux.Handle("GET /jobs/{id}/pieces/{seq}/preview.png", c.authed(c.previewPNG))
	mux.Handle("GET /events", c.authed(c.events))
	mux.Handle("POST /jobs/{id}/do/{action}", c.authed(c.doJob))
	mux.Handle("POST /printers/{name}/do/{action}", c.authed(c.doPrinter))

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(c.crossOriginDenied))
	return cop.Handler(mux)
}
