package web

import (
	"fmt"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/omsd/omsd/audit"
	"github.com/omsd/omsd/localapi"
	"github.com/omsd/omsd/users"
)

// viewFunc is a handler for a logged-in user.
type viewFunc func(w http.ResponseWriter, r *http.Request, se *session)

// authed runs fn for a request with a live session; others go to the
// login page (a page) or get 401 (the event stream, images).
func (c *Console) authed(fn viewFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		se, _ := c.sessions.get(r)
		if se == nil {
			if r.Method == http.MethodGet && r.URL.Path != "/events" {
				http.Redirect(w, r, "/login", http.StatusSeeOther)
				return
			}
			c.errorPage(w, r, nil, http.StatusUnauthorized, "You are not logged in, or your session expired.", "Log in again.")
			return
		}
		// the backend's own records (the archive's retrievals) name the user
		fn(w, r.WithContext(localapi.WithUser(r.Context(), se.user, "console")), se)
	})
}

// loginData is the login page's.
type loginData struct {
	Error, User string
}

func (c *Console) loginPage(w http.ResponseWriter, r *http.Request) {
	if se, _ := c.sessions.get(r); se != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	c.render(w, r, http.StatusOK, "login", nil, loginData{})
}

// login checks a user name and password against the users file. Failed
// attempts for a name or from an address are throttled.
func (c *Console) login(w http.ResponseWriter, r *http.Request) {
	name, password := r.PostFormValue("user"), r.PostFormValue("password")
	peer := r.RemoteAddr
	keys := []string{"user:" + name, "addr:" + hostOf(peer)}
	record := func(role users.Role, result string) {
		c.record(audit.Entry{User: clip(name, 100), Role: string(role), Peer: peer, Action: "login", Result: result})
	}
	if wait := c.throttle.wait(keys...); wait > 0 {
		record("", "throttled")
		w.Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds())+1))
		c.render(w, r, http.StatusTooManyRequests, "login", nil, loginData{User: name,
			Error: fmt.Sprintf("Too many failed logins for this name or from this computer. Wait %s, then try again, or ask an administrator to check your password.", wait.Round(time.Second))})
		return
	}
	dir, err := users.Load(c.opt.UsersFile)
	if err != nil {
		c.log.Error().Err(err).Msg("console: cannot read the users file")
		c.render(w, r, http.StatusServiceUnavailable, "login", nil, loginData{User: name,
			Error: "The console cannot read its users file. An administrator must fix it (omsd's log says why) or add a user with omsctl users add."})
		return
	}
	u, err := dir.Authenticate(name, password)
	if err != nil {
		if !slices.Contains(dir.Names(), name) {
			keys = keys[1:] // only the address: names that do not exist are not kept
		}
		c.throttle.fail(keys...)
		record("", "denied")
		c.render(w, r, http.StatusUnauthorized, "login", nil, loginData{User: name,
			Error: "Wrong user name or password. Check both and try again; after 5 failures logins are paused for a while."})
		return
	}
	c.throttle.succeed(keys...)
	loc, err := time.LoadLocation(r.PostFormValue("tz"))
	if err != nil || r.PostFormValue("tz") == "" {
		loc = time.Local
	}
	ck, err := c.sessions.start(u, loc)
	if err != nil {
		c.errorPage(w, r, nil, http.StatusInternalServerError, "Could not start a session: "+err.Error(), "Try again.")
		return
	}
	record(u.Role, "ok")
	http.SetCookie(w, ck)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (c *Console) logout(w http.ResponseWriter, r *http.Request) {
	if se, token := c.sessions.get(r); se != nil {
		c.sessions.end(token)
		c.record(audit.Entry{User: se.user, Role: string(se.role), Peer: r.RemoteAddr, Action: "logout"})
	}
	http.SetCookie(w, expiredCookie())
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// allowed reports whether se may do what needs role need; if not, it
// answers 403 and records the refusal.
func (c *Console) allowed(w http.ResponseWriter, r *http.Request, se *session, need users.Role, action, target string) bool {
	if se.role.Can(need) {
		return true
	}
	c.record(audit.Entry{User: se.user, Role: string(se.role), Peer: r.RemoteAddr, Action: action, Target: target, Result: "denied"})
	c.errorPage(w, r, se, http.StatusForbidden,
		fmt.Sprintf("Your role (%s) may not %s; it needs the %s role.", se.role, actionWords(action), need),
		"Ask an administrator to do it, or to give you that role.")
	return false
}

// crossOriginDenied answers a state-changing request from another site.
func (c *Console) crossOriginDenied(w http.ResponseWriter, r *http.Request) {
	se, _ := c.sessions.get(r)
	e := audit.Entry{Peer: r.RemoteAddr, Action: "cross-origin", Target: r.Method + " " + r.URL.Path, Result: "denied"}
	if se != nil {
		e.User, e.Role = se.user, string(se.role)
	}
	c.record(e)
	c.errorPage(w, r, se, http.StatusForbidden, "This request came from another site and was refused.",
		"Open the console itself and act from its pages.")
}

// record writes e to the audit trail and the log; a failure to write is
// logged, since the action has happened (or was refused) either way.
func (c *Console) record(e audit.Entry) {
	if e.Time.IsZero() {
		e.Time = c.opt.Now()
	}
	if e.Result == "" {
		e.Result = "ok"
	}
	c.log.Info().Str("user", e.User).Str("role", e.Role).Str("peer", e.Peer).Str("action", e.Action).
		Str("target", e.Target).Str("result", e.Result).Msg("console action")
	if err := c.opt.Audit.Record(e); err != nil {
		c.log.Error().Err(err).Str("action", e.Action).Msg("console: audit trail not written")
	}
}

// clip cuts s to at most n bytes.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// hostOf is the host of an address "host:port".
func hostOf(addr string) string {
	h, _, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	return h
}
