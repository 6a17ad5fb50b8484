package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/net/html"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/audit"
	"github.com/omsd/omsd/localapi"
	"github.com/omsd/omsd/localapi/localapitest"
)

// password is every test user's password.
const password = "correct horse"

// counting is the fake backend counting the calls that change something.
type counting struct {
	*localapitest.Backend
	acts atomic.Int32
}

func (b *counting) Hold(ctx context.Context, id int64) (api.Job, error) {
	b.acts.Add(1)
	return b.Backend.Hold(ctx, id)
}
func (b *counting) Release(ctx context.Context, id int64) (api.Job, error) {
	b.acts.Add(1)
	return b.Backend.Release(ctx, id)
}
func (b *counting) Cancel(ctx context.Context, id int64) (api.Job, error) {
	b.acts.Add(1)
	return b.Backend.Cancel(ctx, id)
}
func (b *counting) Move(ctx context.Context, id int64, m api.JobMove) (api.Job, error) {
	b.acts.Add(1)
	return b.Backend.Move(ctx, id, m)
}
func (b *counting) Priority(ctx context.Context, id int64, p api.JobPriority) (api.Job, error) {
	b.acts.Add(1)
	return b.Backend.Priority(ctx, id, p)
}
func (b *counting) Restart(ctx context.Context, id int64, r api.JobRestart) (api.RestartResult, error) {
	b.acts.Add(1)
	return b.Backend.Restart(ctx, id, r)
}
func (b *counting) Reprint(ctx context.Context, id int64, r api.ReprintRequest) (api.ReprintResult, error) {
	b.acts.Add(1)
	return b.Backend.Reprint(ctx, id, r)
}
func (b *counting) Ack(ctx context.Context, id int64, a api.AlarmAck) (api.Job, error) {
	b.acts.Add(1)
	return b.Backend.Ack(ctx, id, a)
}
func (b *counting) PrinterAction(ctx context.Context, name, action string) (api.Printer, error) {
	b.acts.Add(1)
	return b.Backend.PrinterAction(ctx, name, action)
}

// clock is a settable time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fixture is a console over the counting fake, with users viewer "vic",
// operator "olga" and admin "ada".
type fixture struct {
	t       *testing.T
	c       *Console
	b       *counting
	clock   *clock
	auditTo string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureWith(t, func(b *counting) localapi.Backend { return b })
}

// newFixtureWith is newFixture with the console over wrap of the counting
// fake (a backend with more of the API, say).
func newFixtureWith(t *testing.T, wrap func(*counting) localapi.Backend) *fixture {
	t.Helper()
	dir := t.TempDir()
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	var y strings.Builder
	y.WriteString("users:\n")
	for _, u := range [][2]string{{"vic", "viewer"}, {"olga", "operator"}, {"ada", "admin"}} {
		fmt.Fprintf(&y, "  - {name: %s, role: %s, password: %q}\n", u[0], u[1], hash)
	}
	usersFile := filepath.Join(dir, "users.yaml")
	if err := os.WriteFile(usersFile, []byte(y.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	trail, err := audit.Open(filepath.Join(dir, "audit.log"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { trail.Close() })
	b := &counting{Backend: localapitest.New()}
	clk := &clock{t: time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)}
	c, err := New(Options{Backend: wrap(b), UsersFile: usersFile, Audit: trail, SessionLifetime: time.Hour, Log: zerolog.Nop(), Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, c: c, b: b, clock: clk, auditTo: trail.Path()}
}

// do sends a request to the console, same-origin as a browser would
// (Sec-Fetch-Site) unless headers say otherwise.
func (f *fixture) do(method, target string, form url.Values, cookie *http.Cookie, headers ...string) *httptest.ResponseRecorder {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, "https://console.example"+target, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	if cookie != nil {
		r.AddCookie(cookie)
	}
	w := httptest.NewRecorder()
	f.c.ServeHTTP(w, r)
	return w
}

// login logs user in and returns the session cookie.
func (f *fixture) login(user string) *http.Cookie {
	f.t.Helper()
	w := f.do("POST", "/login", url.Values{"user": {user}, "password": {password}, "tz": {"Europe/Berlin"}}, nil)
	if w.Code != http.StatusSeeOther {
		f.t.Fatalf("login %s: %d\n%s", user, w.Code, w.Body)
	}
	for _, ck := range w.Result().Cookies() {
		if ck.Name == cookieName {
			return ck
		}
	}
	f.t.Fatalf("login %s set no session cookie", user)
	return nil
}

// get fetches a page as cookie's user and parses it.
func (f *fixture) get(target string, cookie *http.Cookie) (*html.Node, int) {
	f.t.Helper()
	w := f.do("GET", target, nil, cookie)
	doc, err := html.Parse(w.Body)
	if err != nil {
		f.t.Fatalf("%s: %v", target, err)
	}
	return doc, w.Code
}

// find returns the elements below n for which ok holds.
func find(n *html.Node, ok func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && ok(d) {
			out = append(out, d)
		}
	}
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, c string) bool {
	return strings.Contains(" "+attr(n, "class")+" ", " "+c+" ")
}

// byID is the element with id, or nil.
func byID(doc *html.Node, id string) *html.Node {
	if ns := find(doc, func(n *html.Node) bool { return attr(n, "id") == id }); len(ns) > 0 {
		return ns[0]
	}
	return nil
}

// text is the text below n, spaces collapsed.
func text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data + " ")
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func TestVendoredHTMX(t *testing.T) {
	data, err := staticFS.ReadFile("static/htmx.min.js")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != HTMXSHA256 {
		t.Errorf("static/htmx.min.js has SHA-256 %s; htmx.go records %s", got, HTMXSHA256)
	}
	if !strings.Contains(string(data), `version:"`+HTMXVersion+`"`) {
		t.Errorf("static/htmx.min.js does not say it is version %s", HTMXVersion)
	}
}
