package web

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/audit"
	"github.com/omsd/omsd/localapi"
	"github.com/omsd/omsd/users"
)

// archiveShown bounds the pieces a search lists.
const archiveShown = 200

// archiveSearch is the archive page's form.
type archiveSearch struct {
	Name, Job, Workflow string
	Conds               string // more conditions, one a line
	From, To            string // dates, YYYY-MM-DD, in the operator's zone
}

// archiveData is the archive page's.
type archiveData struct {
	Form     archiveSearch
	Searched bool
	Records  []api.ArchiveRecord
	Capped   bool   // the search found more than it lists
	Problem  string // why the search failed, and what to do
	None     bool   // no archive configured
}

// conds are the search's conditions as the API takes them.
func (f archiveSearch) conds() []string {
	var out []string
	if s := strings.TrimSpace(f.Name); s != "" {
		out = append(out, "text="+s)
	}
	if s := strings.TrimSpace(f.Job); s != "" {
		out = append(out, "job="+s)
	}
	if s := strings.TrimSpace(f.Workflow); s != "" {
		out = append(out, "workflow="+s)
	}
	for l := range strings.Lines(f.Conds) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// window reads the form's dates as the days in loc, To's day included.
func (f archiveSearch) window(loc *time.Location) (from, to time.Time, err error) {
	day := func(s, what string) (time.Time, error) {
		t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), loc)
		if err != nil {
			return t, inputErr("%q is not a date for %s; write it as 2026-12-05", s, what)
		}
		return t, nil
	}
	if f.From != "" {
		if from, err = day(f.From, "sent from"); err != nil {
			return
		}
	}
	if f.To != "" {
		if to, err = day(f.To, "sent to"); err != nil {
			return
		}
		to = to.AddDate(0, 0, 1)
	}
	return from, to, nil
}

func (c *Console) archivePage(w http.ResponseWriter, r *http.Request, se *session) {
	ab, ok := c.b.(localapi.ArchiveBackend)
	if !ok {
		c.render(w, r, http.StatusOK, "archive", se, archiveData{None: true})
		return
	}
	q := r.URL.Query()
	d := archiveData{Form: archiveSearch{Name: q.Get("name"), Job: q.Get("job"), Workflow: q.Get("workflow"),
		Conds: q.Get("cond"), From: q.Get("from"), To: q.Get("to")}}
	conds := d.Form.conds()
	from, to, err := d.Form.window(se.loc)
	code := http.StatusOK
	switch {
	case err != nil:
		d.Problem, code = strings.TrimPrefix(err.Error(), errInput.Error()+": "), http.StatusBadRequest
	case len(conds) > 0 || !from.IsZero() || !to.IsZero():
		d.Searched = true
		d.Records, err = ab.ArchiveSearch(r.Context(), conds, from, to, archiveShown+1)
		if errors.Is(err, api.ErrBadRequest) {
			d.Problem, code = err.Error()+". Correct the search and try again.", http.StatusBadRequest
		} else if err != nil {
			c.backendError(w, r, se, err)
			return
		}
		slices.SortStableFunc(d.Records, func(a, b api.ArchiveRecord) int {
			return cmp.Or(cmp.Compare(a.Job, b.Job), cmp.Compare(a.Seq, b.Seq), cmp.Compare(a.Generation, b.Generation))
		})
		if len(d.Records) > archiveShown {
			d.Records, d.Capped = d.Records[:archiveShown], true
		}
	}
	c.render(w, r, code, "archive", se, d)
}

// archivePieceData is an archived piece's page.
type archivePieceData struct {
	api.ArchiveRecord
	CanOperate bool
	Targets    []string
	Workflows  []string
}

func (d archivePieceData) title() string { return "Archived piece " + d.ID }

// archiveOf is the backend's archive, or an error page if it has none.
func (c *Console) archiveOf(w http.ResponseWriter, r *http.Request, se *session) (localapi.ArchiveBackend, bool) {
	ab, ok := c.b.(localapi.ArchiveBackend)
	if !ok {
		c.errorPage(w, r, se, http.StatusNotFound, "omsd has no archive.", "Add an archive: section to omsd's configuration and restart it.")
	}
	return ab, ok
}

func (c *Console) archivePiecePage(w http.ResponseWriter, r *http.Request, se *session) {
	ab, ok := c.archiveOf(w, r, se)
	if !ok {
		return
	}
	rec, err := ab.ArchiveRecord(r.Context(), r.PathValue("id"))
	if err != nil {
		c.archiveError(w, r, se, err)
		return
	}
	d := archivePieceData{ArchiveRecord: rec, CanOperate: se.role.Can(users.Operator), Targets: c.targets(r)}
	if st, err := c.b.Status(r.Context()); err == nil {
		d.Workflows = st.Workflows
	}
	c.render(w, r, http.StatusOK, "archivepiece", se, d)
}

// archiveError is backendError with the archive's next step for a piece
// not found.
func (c *Console) archiveError(w http.ResponseWriter, r *http.Request, se *session, err error) {
	if errors.Is(err, api.ErrNotFound) {
		c.errorPage(w, r, se, http.StatusNotFound, err.Error(), "Search the archive for the piece again; it may have expired.")
		return
	}
	c.backendError(w, r, se, err)
}

// archiveData sends an archived piece's bytes as they were sent, and
// records who retrieved it.
func (c *Console) archiveData(w http.ResponseWriter, r *http.Request, se *session) {
	ab, ok := c.archiveOf(w, r, se)
	if !ok {
		return
	}
	id := r.PathValue("id")
	data, rec, err := ab.ArchiveData(r.Context(), id)
	e := audit.Entry{User: se.user, Role: string(se.role), Peer: r.RemoteAddr, Action: "archive.get", Target: "archive piece " + clip(id, 200)}
	if err != nil {
		e.Result = err.Error()
		c.record(e)
		c.archiveError(w, r, se, err)
		return
	}
	e.Detail = fmt.Sprintf("job %d piece %d, %s, %s", rec.Job, rec.Seq, rec.Format, humanBytes(uint64(len(data))))
	c.record(e)
	h := w.Header()
	h.Set("Content-Type", formatType(rec.Format))
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", fileName(rec)))
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set(api.HeaderSHA256, rec.SHA256)
	h.Set("Cache-Control", "no-store")
	w.Write(data)
}

// formatType is the MIME type of an archived format.
func formatType(format string) string {
	switch format {
	case "pdf":
		return "application/pdf"
	case "afp":
		return "application/vnd.ibm.modcap"
	}
	return "application/octet-stream"
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// fileName is the download's name: job, piece and the format's extension.
func fileName(rec api.ArchiveRecord) string {
	ext := unsafeName.ReplaceAllString(rec.Format, "")
	if ext == "" {
		ext = "bin"
	}
	return fmt.Sprintf("job%d-piece%d-gen%d.%s", rec.Job, rec.Seq, rec.Generation, ext)
}

// archiveReprint reads the archived piece and the form of a reprint and
// checks the role; it says what the reprint will do.
func (c *Console) archiveReprint(w http.ResponseWriter, r *http.Request, se *session, f url.Values) (api.ArchiveReprintRequest, string, bool) {
	ab, ok := c.archiveOf(w, r, se)
	if !ok {
		return api.ArchiveReprintRequest{}, "", false
	}
	id := r.PathValue("id")
	if !c.allowed(w, r, se, users.Operator, "archive.reprint", "archive piece "+clip(id, 200)) {
		return api.ArchiveReprintRequest{}, "", false
	}
	rec, err := ab.ArchiveRecord(r.Context(), id)
	if err != nil {
		c.archiveError(w, r, se, err)
		return api.ArchiveReprintRequest{}, "", false
	}
	req := api.ArchiveReprintRequest{Pieces: []string{rec.ID}, Workflow: f.Get("workflow"), To: f.Get("to")}
	wf, to := req.Workflow, req.To
	if wf == "" {
		wf = "its own workflow, " + rec.Workflow
	} else {
		wf = "workflow " + wf
	}
	if to == "" {
		to = "the workflow's printer"
	}
	what := fmt.Sprintf("Reprint the archived piece of job %d, piece %d (%s, %s, sent %s on %s): its bytes as archived, marks included, become a new job of %s, printed on %s with no marks drawn again.",
		rec.Job, rec.Seq, nameOr(rec), unit(rec.Pages, "page"), when(rec.Sent, se.loc), rec.Channel, wf, to)
	return req, what, true
}

func nameOr(rec api.ArchiveRecord) string {
	switch {
	case rec.Name != "":
		return rec.Name
	case len(rec.Text) > 0:
		return strings.Join(rec.Text, " · ")
	}
	return "no name"
}

func (c *Console) confirmArchiveReprint(w http.ResponseWriter, r *http.Request, se *session) {
	q := r.URL.Query()
	req, what, ok := c.archiveReprint(w, r, se, q)
	if !ok {
		return
	}
	back := "/archive/" + url.PathEscape(req.Pieces[0])
	c.render(w, r, http.StatusOK, "confirm", se, confirmData{Action: "reprint an archived piece", Consequence: what,
		Post: r.URL.Path, Back: back, Fields: []field{{"workflow", req.Workflow}, {"to", req.To}}})
}

func (c *Console) doArchiveReprint(w http.ResponseWriter, r *http.Request, se *session) {
	if err := r.ParseForm(); err != nil {
		c.errorPage(w, r, se, http.StatusBadRequest, "The form could not be read.", "Go back and try again.")
		return
	}
	req, what, ok := c.archiveReprint(w, r, se, r.PostForm)
	if !ok {
		return
	}
	ab := c.b.(localapi.ArchiveBackend)
	res, err := ab.ArchiveReprint(r.Context(), req)
	e := audit.Entry{User: se.user, Role: string(se.role), Peer: r.RemoteAddr, Action: "archive.reprint", Target: "archive piece " + req.Pieces[0], Detail: what}
	if err != nil || len(res.Jobs) == 0 {
		if err == nil {
			err = fmt.Errorf("%w: the archive submitted no job", api.ErrConflict)
		}
		e.Result = err.Error()
		c.record(e)
		c.backendError(w, r, se, err)
		return
	}
	done := fmt.Sprintf("Job %d submitted: the archived piece is printed again.", res.Jobs[0].ID)
	e.Detail = what + " → " + done
	c.record(e)
	c.sessions.setFlash(se, done)
	http.Redirect(w, r, jobURL(res.Jobs[0].ID), http.StatusSeeOther)
}

// archiveSearchOf is the archive search for the copies of piece p that
// job id sent (by job and envelope), or "" if omsd has no archive. The
// page links it rather than searching on each of its refreshes.
func (c *Console) archiveSearchOf(id int64, p api.Piece) string {
	if _, ok := c.b.(localapi.ArchiveBackend); !ok {
		return ""
	}
	v := url.Values{"job": {strconv.FormatInt(id, 10)}}
	if p.Plan != nil && p.Plan.Envelope > 0 {
		v.Set("cond", fmt.Sprintf("envelope=%d", p.Plan.Envelope))
	}
	return "/archive?" + v.Encode()
}
