package web

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/localapi/localapitest"
)

func localapitestPNG() []byte { return localapitest.OnePixelPNG }

func localapitestAudit() []api.AuditEntry { return localapitest.AuditEntries }

// rowsOf is the text of each body row of the table with id.
func rowsOf(t *testing.T, doc *html.Node, id string) []string {
	t.Helper()
	tbl := byID(doc, id)
	if tbl == nil {
		t.Fatalf("no table #%s", id)
	}
	var out []string
	for _, tr := range find(tbl, func(n *html.Node) bool { return n.Data == "tr" && n.Parent.Data == "tbody" }) {
		out = append(out, text(tr))
	}
	return out
}

func TestOverviewShowsPrintersAndJobsByState(t *testing.T) {
	f := newFixture(t)
	ck := f.login("vic")
	doc, code := f.get("/", ck)
	if code != http.StatusOK {
		t.Fatalf("overview: %d", code)
	}
	printers := rowsOf(t, doc, "printers")
	if len(printers) != 2 || !strings.HasPrefix(printers[0], "lp1 idle") || !strings.Contains(printers[0], "2 jobs, 0 sheets") ||
		!strings.HasPrefix(printers[1], "out stopped") || !strings.Contains(printers[1], "media-empty — directory missing") {
		t.Errorf("printer rows: %q", printers)
	}
	jobs := find(doc, func(n *html.Node) bool { return n.Data == "tr" && hasClass(n, "job") })
	var ids []string
	for _, j := range jobs {
		ids = append(ids, attr(j, "data-job"))
	}
	if !slices.Equal(ids, []string{"2", "1"}) {
		t.Errorf("active jobs %v; want 2, 1 (newest first)", ids)
	}
	if rows := rowsOf(t, doc, "atrisk"); len(rows) != 1 || !strings.HasPrefix(rows[0], "1 inv.pdf pending lp1 2026-03-04 06:06:07 CET 2026-03-04 07:06:07 CET 120 sheets at 2 sheets/min") {
		t.Errorf("at-risk rows %q", rows)
	}
	if rows := rowsOf(t, doc, "rejected"); len(rows) != 1 || !strings.Contains(rows[0], "bad.pdf") || !strings.Contains(rows[0], "analysis: no pages") || !strings.Contains(rows[0], "drop it into the hot folder again") {
		t.Errorf("error folder rows %q", rows)
	}
	states := find(doc, func(n *html.Node) bool { return n.Data == "li" && strings.HasPrefix(attr(n, "class"), "state-") })
	if len(states) != 7 || text(states[0]) != "1 job pending" || text(states[1]) != "1 job held" {
		t.Errorf("states: %d, first %q %q", len(states), text(states[0]), text(states[1]))
	}
}

// jobIDs are the data-job of the job rows.
func jobIDs(doc *html.Node) []string {
	var ids []string
	for _, j := range find(doc, func(n *html.Node) bool { return n.Data == "tr" && hasClass(n, "job") }) {
		ids = append(ids, attr(j, "data-job"))
	}
	return ids
}

func TestJobsListFiltersAndPages(t *testing.T) {
	f := newFixture(t)
	ck := f.login("vic")
	doc, _ := f.get("/jobs?state=held", ck)
	if ids := jobIDs(doc); !slices.Equal(ids, []string{"2"}) {
		t.Errorf("held jobs %v; want 2", ids)
	}
	if q := f.b.Query(); !q.All || q.Limit != jobsPageSize || !slices.Equal(q.States, []string{"held"}) {
		t.Errorf("query %+v", q)
	}
	doc, _ = f.get("/jobs?before=2", ck)
	if ids := jobIDs(doc); !slices.Equal(ids, []string{"1"}) {
		t.Errorf("jobs before 2: %v; want 1", ids)
	}
	if _, code := f.get("/jobs?before=x", ck); code != http.StatusBadRequest {
		t.Errorf("before=x: %d; want 400", code)
	}
}

func TestJobPageShowsPiecesOutputsEventsAndReport(t *testing.T) {
	f := newFixture(t)
	ck := f.login("olga")
	doc, code := f.get("/jobs/1", ck)
	if code != http.StatusOK {
		t.Fatalf("job page: %d", code)
	}
	if s := text(byID(doc, "jobstate")); s != "pending" {
		t.Errorf("state %q", s)
	}
	if rows := rowsOf(t, doc, "pieces"); len(rows) != 2 || !strings.HasPrefix(rows[0], "1 ") || !strings.HasPrefix(rows[1], "2 ") {
		t.Errorf("pieces %q", rows)
	}
	if rows := rowsOf(t, doc, "events"); len(rows) != 1 || !strings.Contains(rows[0], "taken in") || !strings.Contains(rows[0], "CET") {
		t.Errorf("events %q (times in the operator's zone, Europe/Berlin)", rows)
	}
	body := text(doc)
	for _, want := range []string{"Close-out report", "2.85", "second envelope pulled", "reprint job 3", "Reprint…"} {
		if !strings.Contains(body, want) {
			t.Errorf("job page lacks %q", want)
		}
	}
	if byID(doc, "hold") == nil || byID(doc, "release") != nil || byID(doc, "cancel") == nil {
		t.Error("a pending job offers: hold and cancel, not release")
	}
	if doc, _ := f.get("/jobs/2", ck); byID(doc, "hold") != nil || byID(doc, "release") == nil {
		t.Error("a held job offers release, not hold")
	}
	doc, _ = f.get("/jobs/1?q=ann", ck)
	if rows := rowsOf(t, doc, "pieces"); len(rows) != 1 || !strings.HasPrefix(rows[0], "1 ") {
		t.Errorf("search ann: %q", rows)
	}
	if _, code := f.get("/jobs/99", ck); code != http.StatusNotFound {
		t.Errorf("job 99: %d", code)
	}
	// A viewer sees no action forms.
	doc, _ = f.get("/jobs/1", f.login("vic"))
	if byID(doc, "reprint-form") != nil {
		t.Error("a viewer is offered the reprint form")
	}
}

func TestPiecePageShowsHistoryMarksAndPreview(t *testing.T) {
	f := newFixture(t)
	ck := f.login("vic")
	doc, code := f.get("/jobs/1/pieces/1", ck)
	if code != http.StatusOK {
		t.Fatalf("piece page: %d", code)
	}
	if rows := rowsOf(t, doc, "marks"); len(rows) != 1 || !strings.Contains(rows[0], "111") {
		t.Errorf("marks %q", rows)
	}
	img := byID(doc, "preview")
	if img == nil || attr(img, "src") != "/jobs/1/pieces/1/preview.png" {
		t.Fatalf("preview image %v", img)
	}
	w := f.do("GET", "/jobs/1/pieces/1/preview.png", nil, ck)
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/png" || !slices.Equal(w.Body.Bytes(), localapitestPNG()) {
		t.Errorf("preview.png: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	if rows := rowsOf(t, doc, "history"); len(rows) == 0 {
		t.Error("no history rows")
	}
	if _, code := f.get("/jobs/1/pieces/9", ck); code != http.StatusNotFound {
		t.Errorf("piece 9: %d", code)
	}
}

func TestPrintersPageListsPrintersAndActions(t *testing.T) {
	f := newFixture(t)
	doc, _ := f.get("/printers", f.login("olga"))
	if rows := rowsOf(t, doc, "printers"); len(rows) != 2 {
		t.Errorf("printer rows %q", rows)
	}
	if byID(doc, "pause-lp1") == nil {
		t.Error("no pause button for lp1")
	}
	doc, _ = f.get("/printers", f.login("vic"))
	if byID(doc, "pause-lp1") != nil {
		t.Error("a viewer is offered pause")
	}
}

func TestPagesNeedALogin(t *testing.T) {
	f := newFixture(t)
	for _, p := range []string{"/", "/jobs", "/jobs/1", "/printers", "/audit", "/jobs/1/pieces/1/preview.png"} {
		w := f.do("GET", p, nil, nil)
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/login" {
			t.Errorf("%s without a session: %d %s", p, w.Code, w.Header().Get("Location"))
		}
	}
	if w := f.do("GET", "/events", nil, nil); w.Code != http.StatusUnauthorized {
		t.Errorf("/events without a session: %d", w.Code)
	}
}

// spaced is the fake with one filesystem below its watermark.
type spaced struct{ *counting }

func (b spaced) Status(ctx context.Context) (api.Status, error) {
	st, err := b.counting.Status(ctx)
	st.Intake.Filesystems = []api.Filesystem{{Path: "/var/spool/omsd", Free: 10 << 20, Total: 50 << 30, MinFree: 16 << 20}}
	return st, err
}

func TestOverviewShowsSpace(t *testing.T) {
	f := newFixture(t)
	f.c.b = spaced{f.b}
	doc, _ := f.get("/", f.login("vic"))
	rows := rowsOf(t, doc, "space")
	if len(rows) != 1 || rows[0] != "/var/spool/omsd 10.0 MiB 50.0 GiB 16.0 MiB" {
		t.Errorf("space rows %q", rows)
	}
	if tr := find(byID(doc, "space"), func(n *html.Node) bool { return n.Data == "tr" && hasClass(n, "alarm") }); len(tr) != 1 {
		t.Error("a filesystem below what is kept free is not marked")
	}
}
