package web

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"sync"
	"time"

	"github.com/omsd/omsd/users"
)

// cookieName is the session cookie.
const cookieName = "omsd_session"

// session is one login.
type session struct {
	user    string
	role    users.Role
	expires time.Time
	loc     *time.Location // the operator's time zone, as the browser said
	flash   string         // a message for the next page, shown once
}

// sessions are the logins, in memory: a restart logs everyone out.
type sessions struct {
	mu       sync.Mutex
	byToken  map[string]*session
	lifetime time.Duration
	now      func() time.Time
}

func newSessions(lifetime time.Duration, now func() time.Time) *sessions {
	return &sessions{byToken: map[string]*session{}, lifetime: lifetime, now: now}
}

// start makes a session and its cookie.
func (s *sessions) start(u users.User, loc *time.Location) (*http.Cookie, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	exp := s.now().Add(s.lifetime)
	s.mu.Lock()
	defer s.mu.Unlock()
	for t, old := range s.byToken { // expired sessions go on each login
		if !s.now().Before(old.expires) {
			delete(s.byToken, t)
		}
	}
	s.byToken[token] = &session{user: u.Name, role: u.Role, expires: exp, loc: loc}
	return &http.Cookie{Name: cookieName, Value: token, Path: "/", Expires: exp, MaxAge: int(s.lifetime.Seconds()),
		Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode}, nil
}

// get returns the live session of r's cookie.
func (s *sessions) get(r *http.Request) (*session, string) {
	ck, err := r.Cookie(cookieName)
	if err != nil {
		return nil, ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	se, ok := s.byToken[ck.Value]
	if !ok {
		return nil, ""
	}
	if !s.now().Before(se.expires) {
		delete(s.byToken, ck.Value)
		return nil, ""
	}
	return se, ck.Value
}

// end removes a session; its event streams end at their next event.
func (s *sessions) end(token string) {
	s.mu.Lock()
	if se, ok := s.byToken[token]; ok {
		se.expires = time.Time{}
	}
	delete(s.byToken, token)
	s.mu.Unlock()
}

// alive reports whether se has not expired nor been ended.
func (s *sessions) alive(se *session) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now().Before(se.expires)
}

// setFlash leaves a message for the session's next page.
func (s *sessions) setFlash(se *session, msg string) {
	s.mu.Lock()
	se.flash = msg
	s.mu.Unlock()
}

// takeFlash returns and clears the session's message.
func (s *sessions) takeFlash(se *session) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := se.flash
	se.flash = ""
	return m
}

// expiredCookie clears the session cookie in the browser.
func expiredCookie() *http.Cookie {
	return &http.Cookie{Name: cookieName, Value: "", Path: "/", MaxAge: -1, Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode}
}
