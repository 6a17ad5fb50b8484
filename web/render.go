package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/omsd/omsd/api"
)

// page is what every page's template gets: the user, the page's own data
// and the one-shot message of the last action.
type page struct {
	Title string
	Nav   string // the section in the navigation
	User  string
	Role  string
	Flash string
	Live  bool // the page follows the event stream
	Data  any
	loc   *time.Location
}

// pageNames are the templates under templates/, each with layout.html and
// partials.html (the pieces several pages draw).
var pageNames = []string{"login", "error", "overview", "jobs", "job", "piece", "printers", "audit", "confirm",
	"lines", "archive", "archivepiece", "reports"}

func parsePages() (map[string]*template.Template, error) {
	out := map[string]*template.Template{}
	for _, n := range pageNames {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html", "templates/"+n+".html")
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", n, err)
		}
		out[n] = t
	}
	return out, nil
}

// render writes the page name with data for session se (nil before login).
func (c *Console) render(w http.ResponseWriter, r *http.Request, code int, name string, se *session, data any) {
	p := page{Title: titles[name], Nav: name, Data: data, loc: time.Local}
	if se != nil {
		p.User, p.Role, p.loc = se.user, string(se.role), se.loc
		p.Flash = c.sessions.takeFlash(se)
		p.Live = name == "overview" || name == "jobs" || name == "job" || name == "printers" || name == "piece" || name == "lines"
	}
	if t, ok := data.(titled); ok {
		p.Title = t.title()
	}
	var buf bytes.Buffer
	if err := c.pages[name].Execute(&buf, p); err != nil {
		c.log.Error().Err(err).Str("page", name).Msg("console: page not rendered")
		http.Error(w, "The page could not be drawn: "+err.Error()+". Reload it; if it persists, omsd's log has the details.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if start, ok := r.Context().Value(startKey{}).(time.Time); ok {
		// the page's time in the server, read by the benchmark and browsers' tools
		w.Header().Set("Server-Timing", fmt.Sprintf("app;dur=%.2f", float64(time.Since(start).Microseconds())/1000))
	}
	w.WriteHeader(code)
	buf.WriteTo(w)
}

// titled data names its page.
type titled interface{ title() string }

var titles = map[string]string{
	"login": "Log in", "error": "Error", "overview": "Overview", "jobs": "Jobs", "printers": "Printers and pools",
	"audit": "Audit trail", "confirm": "Confirm", "lines": "Inserting lines", "archive": "Archive", "archivepiece": "Archived piece",
	"reports": "Reports",
}

// errorData is the error page's: what happened and what to do next.
type errorData struct {
	Code       int
	What, Next string
}

func (c *Console) errorPage(w http.ResponseWriter, r *http.Request, se *session, code int, what, next string) {
	c.render(w, r, code, "error", se, errorData{Code: code, What: what, Next: next})
}

// backendError answers an error of the backend with its status and a
// message saying what to do next.
func (c *Console) backendError(w http.ResponseWriter, r *http.Request, se *session, err error) {
	code, next := http.StatusInternalServerError, "Try again; if it persists, omsd's log has the details."
	switch {
	case errors.Is(err, api.ErrNotFound):
		code, next = http.StatusNotFound, "Check the number, or find it in the jobs list."
	case errors.Is(err, api.ErrConflict):
		code, next = http.StatusConflict, "The job or printer is not in a state that allows this; reload to see where it stands."
	case errors.Is(err, api.ErrBadRequest):
		code, next = http.StatusBadRequest, "Correct the values and try again."
	case errors.Is(err, api.ErrUnavailable):
		code, next = http.StatusServiceUnavailable, "omsd is busy or short of space; try again in a moment."
	}
	if code == http.StatusInternalServerError {
		c.log.Error().Err(err).Str("path", r.URL.Path).Msg("console request failed")
	}
	c.errorPage(w, r, se, code, err.Error(), next)
}

// When is t in the operator's time zone (templates: $.When .Time).
func (p page) When(t time.Time) string { return when(t, p.loc) }

// funcs are the templates' helpers.
var funcs = template.FuncMap{
	"sheets":    func(n int) string { return unit(n, "sheet") },
	"pieces":    func(n int) string { return unit(n, "piece") },
	"pages":     func(n int) string { return unit(n, "page") },
	"jobsN":     func(n int) string { return unit(n, "job") },
	"count":     unit,
	"lastPage":  func(first, n int) int { return first + n - 1 },
	"percent":   percent,
	"join":      strings.Join,
	"bytes":     humanBytes,
	"actionOf":  actionWords,
	"rows":      func(p page, jobs []api.Job) jobRows { return jobRows{p, jobs} },
	"thousands": thousands,
	"seqs":      seqs,
	"policy":    policy,
	"deref":     func(b *bool) bool { return b != nil && *b },
	"size":      size,
	"files": func(p page, fs []api.LineFile, kind, line, empty string) fileList {
		return fileList{P: p, Files: fs, Kind: kind, Line: line, Empty: empty}
	},
}

// jobRows is a table of jobs with its page, for the times.
type jobRows struct {
	P    page
	Jobs []api.Job
}

// when is a time in loc, or "–".
func when(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "–"
	}
	return t.In(loc).Format("2006-01-02 15:04:05 MST")
}

// unit is "1 sheet", "2 sheets", with thousands separated.
func unit(n int, what string) string {
	s := thousands(n) + " " + what
	if n != 1 {
		s += "s"
	}
	return s
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// percent is done of total as a whole percentage, 0 to 100.
func percent(done, total int) int {
	if total <= 0 {
		return 0
	}
	return min(100, max(0, done*100/total))
}

func humanBytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
