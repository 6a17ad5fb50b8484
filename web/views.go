package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/users"
)

// Bounds of what a page lists.
const (
	overviewActive   = 50  // active jobs on the overview
	overviewRejected = 10  // error-folder arrivals on the overview
	jobsPageSize     = 50  // jobs a page of the list shows
	piecesPageSize   = 100 // pieces a page of a job shows
	jobEvents        = 50  // the newest events a job page shows
)

// printerRow is a printer with its live progress.
type printerRow struct {
	api.Printer
	Done, Total int // sheets of the output being sent, from the last progress event
	Job         int64
}

// overviewData is the overview page's.
type overviewData struct {
	Status   api.Status
	Printers []printerRow
	States   []stateCount
	Active   []api.Job
	More     int // active jobs not listed
	Alarms   []alarmRow
	Rejected []api.Rejected // the newest arrivals in the error folder
	AtRisk   []api.Deadline // active jobs predicted to miss their deadline
}

type stateCount struct {
	State string
	N     int
}

// alarmRow is an open integrity alarm of a held run.
type alarmRow struct {
	Job   int64
	Name  string
	Alarm string
}

func (c *Console) overview(w http.ResponseWriter, r *http.Request, se *session) {
	ctx := r.Context()
	st, err := c.b.Status(ctx)
	if err != nil {
		c.backendError(w, r, se, err)
		return
	}
	d := overviewData{Status: st}
	for _, s := range api.JobStates {
		d.States = append(d.States, stateCount{s, st.Jobs[s]})
	}
	if d.Printers, err = c.printerRows(r); err != nil {
		c.backendError(w, r, se, err)
		return
	}
	active, err := c.b.Jobs(ctx, api.JobQuery{States: []string{"pending", "held", "processing", "stopped"}})
	if err != nil {
		c.backendError(w, r, se, err)
		return
	}
	slices.Reverse(active) // newest first
	for _, j := range active {
		if j.State != "held" || len(d.Alarms) >= maxAlarms {
			continue
		}
		det, err := c.b.Job(ctx, j.ID)
		if err == nil && det.Loop != nil {
			for _, a := range det.Loop.Alarms {
				d.Alarms = append(d.Alarms, alarmRow{Job: j.ID, Name: j.Name, Alarm: a})
			}
		}
	}
	if len(active) > overviewActive {
		d.More = len(active) - overviewActive
		active = active[:overviewActive]
	}
	d.Active = active
	deadlines, err := c.b.Deadlines(ctx)
	if err != nil {
		c.backendError(w, r, se, err)
		return
	}
	for _, dl := range deadlines {
		if dl.AtRisk {
			d.AtRisk = append(d.AtRisk, dl)
		}
	}
	if d.Rejected, err = c.b.Rejected(ctx, overviewRejected); err != nil {
		c.backendError(w, r, se, err)
		return
	}
	c.render(w, r, http.StatusOK, "overview", se, d)
}

// printerRows lists the printers with their live progress.
func (c *Console) printerRows(r *http.Request) ([]printerRow, error) {
	ps, err := c.b.Printers(r.Context())
	if err != nil {
		return nil, err
	}
	rows := make([]printerRow, len(ps))
	for i, p := range ps {
		rows[i] = printerRow{Printer: p}
		if ev, ok := c.live.progressOf(p.Name); ok && p.Sending != "" {
			rows[i].Done, rows[i].Total, rows[i].Job = ev.SheetsDone, ev.Sheets, ev.Job
		}
	}
	return rows, nil
}

// jobsData is the jobs list's.
type jobsData struct {
	Jobs     []api.Job
	States   []stateFilter
	Next     int64 // the before= of the next page; 0 if none
	Before   int64
	Filtered string // the state= of the links
}

type stateFilter struct {
	State string
	On    bool
}

func (c *Console) jobsPage(w http.ResponseWriter, r *http.Request, se *session) {
	v := r.URL.Query()
	q := api.JobQuery{All: true, Limit: jobsPageSize}
	for _, s := range v[api.ParamState] {
		for s := range strings.SplitSeq(s, ",") {
			if api.ValidState(s) && !slices.Contains(q.States, s) {
				q.States = append(q.States, s)
			}
		}
	}
	if s := v.Get(api.ParamBefore); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			c.errorPage(w, r, se, http.StatusBadRequest, fmt.Sprintf("%q is not a job number.", s), "Use the page links of the jobs list.")
			return
		}
		q.Before = n
	}
	list, err := c.b.Jobs(r.Context(), q)
	if err != nil {
		c.backendError(w, r, se, err)
		return
	}
	slices.Reverse(list)
	d := jobsData{Jobs: list, Before: q.Before, Filtered: strings.Join(q.States, ",")}
	for _, s := range api.JobStates {
		d.States = append(d.States, stateFilter{s, slices.Contains(q.States, s)})
	}
	if len(list) == jobsPageSize {
		d.Next = list[len(list)-1].ID
	}
	c.render(w, r, http.StatusOK, "jobs", se, d)
}

// jobData is a job's page.
type jobData struct {
	api.JobDetail
	Shown       []api.Piece // this page of the pieces the search selects
	Found       int         // pieces the search selects
	Search      string
	PiecePage   int
	PieceNext   int // the next page of pieces, 0 if none
	Plan        *api.Plan
	Report      *api.JobReport
	Recent      []api.Event // newest first
	Targets     []string    // printers and pools to reprint to
	CanOperate  bool
	CanAdmin    bool
	OpenAlarms  []string
	ReprintJobs []int64
	Files       *api.RunFiles // the manifests and result files of its run; nil without a line
}

func (d jobData) title() string { return fmt.Sprintf("Job %d %s", d.ID, d.Name) }

func (c *Console) jobPage(w http.ResponseWriter, r *http.Request, se *session) {
	id, ok := c.pathID(w, r, se)
	if !ok {
		return
	}
	ctx := r.Context()
	det, err := c.b.Job(ctx, id)
	if err != nil {
		c.backendError(w, r, se, err)
		return
	}
	d := jobData{JobDetail: det, CanOperate: se.role.Can(users.Operator), CanAdmin: se.role.Can(users.Admin)}
	d.Search = strings.TrimSpace(r.URL.Query().Get("q"))
	d.PiecePage, _ = strconv.Atoi(r.URL.Query().Get("page"))
	d.PiecePage = max(d.PiecePage, 1)
	found := searchPieces(det.PiecesDetail, d.Search)
	d.Found = len(found)
	from := min((d.PiecePage-1)*piecesPageSize, len(found))
	to := min(from+piecesPageSize, len(found))
	d.Shown = found[from:to]
	if to < len(found) {
		d.PieceNext = d.PiecePage + 1
	}
	if p, err := c.b.Plan(ctx, id); err == nil {
		d.Plan = &p
	}
	if rep, err := c.b.Report(ctx, id); err == nil {
		d.Report = &rep
	}
	if det.Loop != nil {
		d.OpenAlarms, d.ReprintJobs = det.Loop.Alarms, det.Loop.Reprints
	}
	ev := det.Events[max(0, len(det.Events)-jobEvents):]
	d.Recent = slices.Clone(ev)
	slices.Reverse(d.Recent)
	d.Targets = c.targets(r)
	d.Files = c.runFiles(r, id)
	c.render(w, r, http.StatusOK, "job", se, d)
}

// searchPieces selects the pieces whose number, name or metadata holds q.
func searchPieces(ps []api.Piece, q string) []api.Piece {
	if q == "" {
		return ps
	}
	q = strings.ToLower(q)
	var out []api.Piece
	for _, p := range ps {
		if strconv.Itoa(p.Seq) == q || strings.Contains(strings.ToLower(p.Name), q) || metaHolds(p.Meta, q) {
			out = append(out, p)
		}
	}
	return out
}

func metaHolds(m map[string]string, q string) bool {
	for _, v := range m {
		if strings.Contains(strings.ToLower(v), q) {
			return true
		}
	}
	return false
}

// targets are the printers and pools, for the reprint and move forms.
func (c *Console) targets(r *http.Request) []string {
	ps, err := c.b.Printers(r.Context())
	if err != nil {
		return nil
	}
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
		for _, pool := range p.Pools {
			if !slices.Contains(out, pool) {
				out = append(out, pool)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// pieceData is a piece's page.
type pieceData struct {
	Job     api.JobDetail
	Track   *api.Track
	Piece   api.Piece
	Preview *api.Preview
	Problem string // why there is no preview
	// CanOperate says the user may reprint.
	CanOperate bool
	// Archived is the archive search for the piece's copies; empty
	// without an archive.
	Archived string
}

func (d pieceData) title() string { return fmt.Sprintf("Job %d piece %d", d.Job.ID, d.Piece.Seq) }

func (c *Console) piecePage(w http.ResponseWriter, r *http.Request, se *session) {
	id, ok := c.pathID(w, r, se)
	if !ok {
		return
	}
	seq, err := strconv.Atoi(r.PathValue("seq"))
	if err != nil || seq <= 0 {
		c.errorPage(w, r, se, http.StatusBadRequest, fmt.Sprintf("%q is not a piece number.", r.PathValue("seq")), "Pick a piece from its job's page.")
		return
	}
	ctx := r.Context()
	det, err := c.b.Job(ctx, id)
	if err != nil {
		c.backendError(w, r, se, err)
		return
	}
	d := pieceData{Job: det, CanOperate: se.role.Can(users.Operator)}
	i := slices.IndexFunc(det.PiecesDetail, func(p api.Piece) bool { return p.Seq == seq })
	if i < 0 {
		c.errorPage(w, r, se, http.StatusNotFound, fmt.Sprintf("Job %d has no piece %d.", id, seq), fmt.Sprintf("Job %d has %s; pick one from its page.", id, unit(len(det.PiecesDetail), "piece")))
		return
	}
	d.Piece = det.PiecesDetail[i]
	if tr, err := c.b.Track(ctx, id, seq); err == nil {
		d.Track = &tr
	}
	d.Archived = c.archiveSearchOf(id, d.Piece)
	if pv, err := c.b.Preview(ctx, id, seq, false); err == nil {
		d.Preview = &pv
	} else {
		d.Problem = err.Error()
	}
	c.render(w, r, http.StatusOK, "piece", se, d)
}

// previewPNG is the sheets of a piece with their marks, as omsctl preview
// draws them.
func (c *Console) previewPNG(w http.ResponseWriter, r *http.Request, se *session) {
	id, ok := c.pathID(w, r, se)
	if !ok {
		return
	}
	seq, err := strconv.Atoi(r.PathValue("seq"))
	if err != nil || seq <= 0 {
		http.Error(w, "not a piece number", http.StatusBadRequest)
		return
	}
	pv, err := c.b.Preview(r.Context(), id, seq, true)
	if err != nil {
		c.backendError(w, r, se, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=300")
	w.Write(pv.PNG)
}

// printersData is the printers page's.
type printersData struct {
	Printers   []printerRow
	Pools      []poolRow
	CanOperate bool
}

type poolRow struct {
	Name    string
	Members []string
}

func (c *Console) printersPage(w http.ResponseWriter, r *http.Request, se *session) {
	rows, err := c.printerRows(r)
	if err != nil {
		c.backendError(w, r, se, err)
		return
	}
	d := printersData{Printers: rows, CanOperate: se.role.Can(users.Operator)}
	byPool := map[string][]string{}
	for _, p := range rows {
		for _, pool := range p.Pools {
			byPool[pool] = append(byPool[pool], p.Name)
		}
	}
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range byPool {
			if !yield(k) {
				return
			}
		}
	}) {
		d.Pools = append(d.Pools, poolRow{name, byPool[name]})
	}
	c.render(w, r, http.StatusOK, "printers", se, d)
}

// auditData is the audit page's.
type auditData struct {
	Entries []api.AuditEntry
	User    string
	Action  string
}

func (c *Console) auditPage(w http.ResponseWriter, r *http.Request, se *session) {
	q := api.AuditQuery{User: r.URL.Query().Get("user"), Action: r.URL.Query().Get("action")}
	entries, err := c.b.Audit(r.Context(), q)
	if err != nil {
		c.backendError(w, r, se, err)
		return
	}
	slices.Reverse(entries)
	c.render(w, r, http.StatusOK, "audit", se, auditData{Entries: entries, User: q.User, Action: q.Action})
}

// pathID reads the job number of the path, answering 400 if it is none.
func (c *Console) pathID(w http.ResponseWriter, r *http.Request, se *session) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		c.errorPage(w, r, se, http.StatusBadRequest, fmt.Sprintf("%q is not a job number.", r.PathValue("id")), "Pick a job from the jobs list.")
		return 0, false
	}
	return id, true
}
