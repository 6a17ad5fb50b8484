package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/audit"
)

// actionCase is one state-changing request and the least role that may
// send it.
type actionCase struct {
	path string
	form url.Values
	need string // operator or admin
}

var actionCases = []actionCase{
	{"/jobs/1/do/hold", url.Values{}, "operator"},
	{"/jobs/2/do/release", url.Values{}, "operator"},
	{"/jobs/1/do/cancel", url.Values{}, "operator"},
	{"/jobs/1/do/priority", url.Values{"priority": {"5"}}, "operator"},
	{"/jobs/1/do/move", url.Values{"target": {"out"}}, "operator"},
	{"/jobs/1/do/restart", url.Values{"from": {"2"}}, "operator"},
	{"/jobs/1/do/restart", url.Values{"pieces": {"1"}}, "operator"},
	{"/jobs/1/do/reprint", url.Values{"pieces": {"1-2"}, "target": {"out"}}, "operator"},
	{"/jobs/1/do/ack", url.Values{"reason": {"extra envelope pulled"}}, "admin"},
	{"/printers/lp1/do/pause", url.Values{}, "operator"},
	{"/printers/lp1/do/resume", url.Values{}, "operator"},
	{"/printers/lp1/do/enable", url.Values{}, "operator"},
	{"/printers/lp1/do/disable", url.Values{}, "operator"},
	{"/printers/lp1/do/drain", url.Values{}, "operator"},
}

// states is the fake's jobs' states and printers, to see that nothing
// changed.
func (f *fixture) states() string {
	j1, _ := f.b.Backend.Job(nil, 1)
	j2, _ := f.b.Backend.Job(nil, 2)
	return j1.State + " " + j1.Printer + " " + j2.State
}

// TestRolesEnforcedOnEveryAction: a role that lacks an action is refused
// with 403, on the confirmation page and on the act itself, and nothing
// reaches the backend; the refusal is in the audit trail.
func TestRolesEnforcedOnEveryAction(t *testing.T) {
	f := newFixture(t)
	vic, olga := f.login("vic"), f.login("olga")
	before := f.states()
	for _, a := range actionCases {
		lacking := []struct {
			name string
			ck   *http.Cookie
		}{{"vic", vic}}
		if a.need == "admin" {
			lacking = append(lacking, struct {
				name string
				ck   *http.Cookie
			}{"olga", olga})
		}
		for _, u := range lacking {
			if w := f.do("GET", a.path+"?"+a.form.Encode(), nil, u.ck); w.Code != http.StatusForbidden {
				t.Errorf("%s: confirmation of %s: %d; want 403", u.name, a.path, w.Code)
			}
			w := f.do("POST", a.path, a.form, u.ck)
			if w.Code != http.StatusForbidden {
				t.Errorf("%s: POST %s: %d; want 403", u.name, a.path, w.Code)
			}
			if !strings.Contains(w.Body.String(), "What to do") {
				t.Errorf("%s: POST %s: the refusal does not say what to do", u.name, a.path)
			}
		}
	}
	if n := f.b.acts.Load(); n != 0 || f.states() != before {
		t.Errorf("refused actions reached the backend %d times; states %q, were %q", n, f.states(), before)
	}
	entries, err := audit.Read(f.auditTo, audit.Filter{User: "vic"})
	if err != nil {
		t.Fatal(err)
	}
	denied := 0
	for _, e := range entries {
		if e.Result == "denied" && e.Role == "viewer" && e.Peer != "" && e.Target != "" {
			denied++
		}
	}
	if denied != 2*len(actionCases) {
		t.Errorf("audit trail holds %d refusals of vic; want %d", denied, 2*len(actionCases))
	}
}

// TestCrossSiteRequestRefused: a POST from another site (as a browser
// marks it) is refused before the action, even with a valid session.
func TestCrossSiteRequestRefused(t *testing.T) {
	f := newFixture(t)
	ada := f.login("ada")
	before := f.states()
	for _, a := range actionCases {
		for _, h := range [][]string{{"Sec-Fetch-Site", "cross-site"}, {"Sec-Fetch-Site", "", "Origin", "https://evil.example"}} {
			if w := f.do("POST", a.path, a.form, ada, h...); w.Code != http.StatusForbidden {
				t.Errorf("cross-site POST %s (%v): %d; want 403", a.path, h, w.Code)
			}
		}
	}
	if n := f.b.acts.Load(); n != 0 || f.states() != before {
		t.Errorf("cross-site requests reached the backend %d times", n)
	}
	if w := f.do("POST", "/logout", nil, ada, "Sec-Fetch-Site", "cross-site"); w.Code != http.StatusForbidden {
		t.Errorf("cross-site logout: %d", w.Code)
	}
	entries, _ := audit.Read(f.auditTo, audit.Filter{Action: "cross-origin"})
	if len(entries) < len(actionCases) || entries[0].User != "ada" {
		t.Errorf("audit trail: %d cross-origin refusals, first %+v", len(entries), entries)
	}
}

// TestActionsWithTheRoleAct: each action, confirmed by a user with the
// role, reaches the backend once and is recorded with user, role, target,
// time and peer.
func TestActionsWithTheRoleAct(t *testing.T) {
	f := newFixture(t)
	ada := f.login("ada")
	for i, a := range actionCases {
		w := f.do("GET", a.path+"?"+a.form.Encode(), nil, ada)
		if w.Code != http.StatusOK {
			t.Errorf("confirmation of %s: %d\n%s", a.path, w.Code, w.Body)
			continue
		}
		w = f.do("POST", a.path, a.form, ada)
		if w.Code != http.StatusSeeOther {
			t.Errorf("POST %s: %d\n%s", a.path, w.Code, w.Body)
		}
		if n := f.b.acts.Load(); n != int32(i+1) {
			t.Errorf("after %s the backend saw %d actions; want %d", a.path, n, i+1)
		}
	}
	entries, _ := audit.Read(f.auditTo, audit.Filter{User: "ada"})
	ok := 0
	for _, e := range entries {
		if e.Action != "login" && e.Result == "ok" && e.Role == "admin" && e.Peer != "" && e.Target != "" && !e.Time.IsZero() {
			ok++
		}
	}
	if ok != len(actionCases) {
		t.Errorf("audit trail: %d actions of ada; want %d\n%+v", ok, len(actionCases), entries)
	}
	doc, _ := f.get("/audit", ada)
	if rows := rowsOf(t, doc, "audit"); len(rows) != len(localapitestAudit()) {
		t.Errorf("audit page rows %q", rows)
	}
}

func TestConfirmationStatesTheConsequence(t *testing.T) {
	f := newFixture(t)
	olga := f.login("olga")
	doc, code := f.get("/jobs/1/do/reprint?pieces=1-2&target=pool1", olga)
	if code != http.StatusOK {
		t.Fatalf("confirmation: %d", code)
	}
	if got := text(byID(doc, "consequence")); !strings.HasPrefix(got, "Reprint 2 pieces, 2 sheets, to pool1 as a new reprint job of job 1") {
		t.Errorf("consequence %q", got)
	}
	if f.b.acts.Load() != 0 {
		t.Error("the confirmation page acted")
	}
	for _, bad := range []string{"pieces=0", "pieces=1-9", "pieces=x", "pieces="} {
		w := f.do("GET", "/jobs/1/do/reprint?"+bad, nil, olga)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "correct it") {
			t.Errorf("reprint %s: %d", bad, w.Code)
		}
	}
	doc, _ = f.get("/jobs/1/do/restart?from=2&target=out", olga)
	if got := text(byID(doc, "consequence")); got != "Restart job 1 (inv.pdf), piece 2 on: print 1 piece, 1 sheet, again to out." {
		t.Errorf("restart consequence %q", got)
	}
	doc, _ = f.get("/jobs/1/do/restart?pieces=1-2", olga)
	if got := text(byID(doc, "consequence")); got != "Restart job 1 (inv.pdf), pieces 1-2: print 2 pieces, 2 sheets, again to lp1." {
		t.Errorf("restart consequence %q", got)
	}
	doc, _ = f.get("/printers/lp1/do/pause", olga)
	if got := text(byID(doc, "consequence")); !strings.Contains(got, "2 jobs (0 sheets) wait for it") {
		t.Errorf("pause consequence %q", got)
	}
}

// TestLoginThrottled: after five wrong passwords for a name, even the
// right one is refused (429) until the lock passes.
func TestLoginThrottled(t *testing.T) {
	f := newFixture(t)
	wrong := url.Values{"user": {"olga"}, "password": {"wrong password"}}
	for i := range maxFailures {
		if w := f.do("POST", "/login", wrong, nil); w.Code != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d", i+1, w.Code)
		}
	}
	right := url.Values{"user": {"olga"}, "password": {password}}
	w := f.do("POST", "/login", right, nil)
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" || !strings.Contains(w.Body.String(), "Wait") {
		t.Fatalf("sixth attempt: %d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
	for _, c := range w.Result().Cookies() {
		if c.Name == cookieName {
			t.Error("a throttled login got a session")
		}
	}
	f.clock.add(firstLock + time.Second)
	if w := f.do("POST", "/login", right, nil); w.Code != http.StatusSeeOther {
		t.Errorf("after the lock: %d", w.Code)
	}
	entries, _ := audit.Read(f.auditTo, audit.Filter{Action: "login"})
	var results []string
	for _, e := range entries {
		results = append(results, e.Result)
	}
	if got := strings.Join(results, " "); got != "denied denied denied denied denied throttled ok" {
		t.Errorf("login audit: %s", got)
	}
}

func TestSessionCookieAndExpiry(t *testing.T) {
	f := newFixture(t)
	ck := f.login("vic")
	if !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.MaxAge != 3600 {
		t.Errorf("cookie %+v", ck)
	}
	if _, code := f.get("/", ck); code != http.StatusOK {
		t.Fatalf("overview: %d", code)
	}
	f.clock.add(time.Hour)
	if w := f.do("GET", "/", nil, ck); w.Code != http.StatusSeeOther {
		t.Errorf("after the session's lifetime: %d; want a redirect to the login", w.Code)
	}
	ck = f.login("vic")
	f.do("POST", "/logout", url.Values{}, ck)
	if w := f.do("GET", "/", nil, ck); w.Code != http.StatusSeeOther {
		t.Errorf("after logout: %d", w.Code)
	}
}

// TestLoginThrottledByAddress: failures spread over several names from
// one address throttle that address too.
func TestLoginThrottledByAddress(t *testing.T) {
	f := newFixture(t)
	for i := range maxFailures {
		name := []string{"vic", "olga", "ada"}[i%3] // at most 2 failures each
		f.do("POST", "/login", url.Values{"user": {name}, "password": {fmt.Sprint("guess", i)}}, nil)
	}
	if w := f.do("POST", "/login", url.Values{"user": {"ada"}, "password": {password}}, nil); w.Code != http.StatusTooManyRequests {
		t.Errorf("login from a throttled address: %d; want 429", w.Code)
	}
}
