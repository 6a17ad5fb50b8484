package ipp

import (
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/OpenPrinting/goipp"

	"github.com/omsd/omsd/intake/receiver"
	"github.com/omsd/omsd/users"
)

// printerPath is the path prefix of every printer URI.
const printerPath = "/ipp/print"

// request is one IPP request being served.
type request struct {
	http   *http.Request
	msg    *goipp.Message
	body   io.Reader // the document, after the attributes
	peer   string
	user   string     // authenticated user, else requesting-user-name
	role   users.Role // with authentication
	authed bool
	queue  queueInfo
}

// ServeHTTP answers one IPP request. Errors go back as IPP status codes in
// an HTTP 200 response; only what is not IPP at all gets an HTTP error.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "omsd IPP server: send IPP requests with POST to "+printerPath+"/QUEUE", http.StatusMethodNotAllowed)
		return
	}
	if ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";"); strings.TrimSpace(ct) != "application/ipp" {
		http.Error(w, "omsd IPP server: Content-Type must be application/ipp", http.StatusUnsupportedMediaType)
		return
	}
	req := &request{http: r, peer: r.RemoteAddr}
	if !s.authenticate(w, req) {
		return
	}
	body := &idleReader{r: r.Body, rc: http.NewResponseController(w), idle: s.cfg.ReadTimeout.Std()}
	msg, err := DecodeRequest(body)
	if err != nil {
		s.refuse(req.peer, receiver.RefusedProtocol, "the request does not decode: "+err.Error())
		s.reply(w, req, s.errorResponse(goipp.DefaultVersion, 0, goipp.StatusErrorBadRequest, err.Error()))
		return
	}
	req.msg, req.body = msg, body
	resp := s.serve(req)
	if !body.eof && r.ContentLength <= int64(s.cfg.MaxDocument)+MaxRequestAttributes {
		// Whatever document the client sent and the operation did not
		// read is read away (bounded), so the client sees the answer
		// rather than a connection reset. A body announced larger than
		// any request may be is not read: the connection closes after
		// the answer.
		io.Copy(io.Discard, io.LimitReader(body, int64(s.cfg.MaxDocument)+1))
	}
	s.reply(w, req, resp)
}

// reply writes resp; a client gone by then is only logged.
func (s *Server) reply(w http.ResponseWriter, req *request, resp *goipp.Message) {
	data, err := resp.EncodeBytes()
	if err != nil {
		s.log.Error().Err(err).Str("peer", req.peer).Msg("ipp: encoding a response")
		http.Error(w, "omsd IPP server: internal error encoding the response", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/ipp")
	// A client that does not read its answer is cut off like one that
	// does not send.
	rc := http.NewResponseController(w)
	rc.SetWriteDeadline(time.Now().Add(s.cfg.ReadTimeout.Std()))
	defer rc.SetWriteDeadline(time.Time{}) // the connection may carry the next request
	_, err = w.Write(data)
	if err == nil {
		err = rc.Flush()
	}
	if err != nil {
		s.log.Warn().Err(err).Str("protocol", "ipp").Str("peer", req.peer).Msg("the client went away before its answer")
	}
}

// authenticate checks HTTP Basic credentials when a users file is
// configured. A request without credentials is asked for them; a wrong
// password is refused, logged and counted.
func (s *Server) authenticate(w http.ResponseWriter, req *request) bool {
	if s.users == nil {
		return true
	}
	name, password, ok := req.http.BasicAuth()
	if ok {
		u, err := s.users.Authenticate(name, password)
		if err == nil {
			req.user, req.role, req.authed = u.Name, u.Role, true
			return true
		}
		s.refuse(req.peer, RefusedAuthentication, "wrong user name or password for "+quoteName(name))
	}
	w.Header().Set("WWW-Authenticate", `Basic realm="omsd", charset="UTF-8"`)
	http.Error(w, "omsd IPP server: authentication required (a user of omsd's users file)", http.StatusUnauthorized)
	return false
}

// quoteName makes a name safe to log: at most 64 printable characters.
func quoteName(s string) string {
	if len(s) > 64 {
		s = s[:64]
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}

// idleReader reads the request body with a deadline that moves with each
// read: a client that sends nothing for idle is cut off (slow-loris), one
// that keeps sending is not, however long its document.
type idleReader struct {
	r    io.Reader
	rc   *http.ResponseController
	idle time.Duration
	eof  bool // the body was read to its end
}

func (b *idleReader) Read(p []byte) (int, error) {
	if b.eof {
		return 0, io.EOF
	}
	if b.idle > 0 {
		b.rc.SetReadDeadline(time.Now().Add(b.idle))
	}
	n, err := b.r.Read(p)
	if err == io.EOF {
		b.eof = true
	}
	return n, err
}
