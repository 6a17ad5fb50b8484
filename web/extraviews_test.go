package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/audit"
	"github.com/omsd/omsd/localapi"
	"github.com/omsd/omsd/localapi/localapitest"
)

// archived is the counting fake with an archive of two pieces of job 1
// and a report with a row per day.
type archived struct {
	*counting
	reprints atomic.Int32
	searched []string // the conditions of the last search
	from, to time.Time
	caller   string // who the backend was told fetched a piece
}

var archiveRecords = []api.ArchiveRecord{
	{ID: "seg1-000001-p1", Job: 1, Seq: 1, Name: "Anna Müller", Workflow: "invoices", Channel: "print", Printer: "lp1", Format: "pdf", Pages: 2,
		Sent: localapitest.T0, Size: 2300, SHA256: "ab12", Fields: map[string]string{"zip": "04109"}, RetainUntil: localapitest.T0.AddDate(10, 0, 0)},
	{ID: "seg1-000002-p2", Job: 1, Seq: 2, Name: "Bernd Schulz", Workflow: "invoices", Channel: "email", Recipient: "b@example.org", Format: "pdf", Pages: 1,
		Sent: localapitest.T0, Size: 1200, SHA256: "cd34"},
}

func (a *archived) ArchiveSearch(_ context.Context, conds []string, from, to time.Time, limit int) ([]api.ArchiveRecord, error) {
	a.searched, a.from, a.to = conds, from, to
	for _, c := range conds {
		if !strings.Contains(c, "=") {
			return nil, fmt.Errorf("%w: condition %q: write FIELD=VALUE", api.ErrBadRequest, c)
		}
		if c == "text=Müller" {
			return archiveRecords[:1], nil
		}
	}
	return archiveRecords, nil
}

func (a *archived) ArchiveRecord(_ context.Context, id string) (api.ArchiveRecord, error) {
	for _, r := range archiveRecords {
		if r.ID == id {
			return r, nil
		}
	}
	return api.ArchiveRecord{}, fmt.Errorf("%w: no archived piece %s", api.ErrNotFound, id)
}

func (a *archived) ArchiveData(ctx context.Context, id string) ([]byte, api.ArchiveRecord, error) {
	r, err := a.ArchiveRecord(ctx, id)
	a.caller = localapi.Caller(ctx)
	return []byte("%PDF-1.7 " + id), r, err
}

func (a *archived) ArchiveReprint(_ context.Context, r api.ArchiveReprintRequest) (api.ArchiveReprintResult, error) {
	a.reprints.Add(1)
	a.acts.Add(1)
	return api.ArchiveReprintResult{Jobs: []api.Job{{ID: 7, Name: r.Pieces[0], Printer: r.To}}}, nil
}

func (a *archived) ArchiveHolds(context.Context) ([]api.ArchiveHold, error) { return nil, nil }
func (a *archived) ArchiveHold(context.Context, api.ArchiveHoldRequest) (api.ArchiveHold, error) {
	return api.ArchiveHold{}, nil
}
func (a *archived) ArchiveRelease(context.Context, string) (api.ArchiveHold, error) {
	return api.ArchiveHold{}, nil
}
func (a *archived) ArchiveVerify(context.Context) (api.ArchiveVerify, error) {
	return api.ArchiveVerify{}, nil
}
func (a *archived) ArchiveReindex(context.Context) (api.ArchiveReindex, error) {
	return api.ArchiveReindex{}, nil
}
func (a *archived) ArchiveExpire(context.Context) (api.ArchiveExpire, error) {
	return api.ArchiveExpire{}, nil
}
func (a *archived) ArchiveExport(context.Context, api.ArchiveExportRequest) (api.ArchiveExportResult, error) {
	return api.ArchiveExportResult{}, nil
}

// PeriodReport has a row per day of the window, the first with a run.
func (a *archived) PeriodReport(_ context.Context, q api.ReportQuery) (api.Report, error) {
	rep := api.Report{Kind: q.Kind, From: q.From, To: q.To, By: q.By}
	for d := q.From; d.Before(q.To); d = d.AddDate(0, 0, 1) {
		rep.Rows = append(rep.Rows, api.ReportRow{Key: d.Format("2006-01-02")})
	}
	first := api.ReportRow{Key: rep.Rows[0].Key, Runs: 2, Jobs: []int64{1, 2}, PiecesIn: 1200, PagesIn: 2400, SheetsIn: 1300, PiecesOut: 1190,
		Envelopes: 1100, Postage: []api.ProductPostage{{Product: "Standardbrief", Envelopes: 1100, Postage: "935.00"}}, PostageTotal: "935.00",
		Reprints: 1, ReprintedPieces: 12, ReprintRate: 1, Deadlines: 2, Met: 1, Missed: 1}
	rep.Rows[0] = first
	first.Key = "total"
	rep.Total = first
	return rep, nil
}

var _ localapi.ArchiveBackend = (*archived)(nil)

func newArchiveFixture(t *testing.T) (*fixture, *archived) {
	var a *archived
	f := newFixtureWith(t, func(b *counting) localapi.Backend { a = &archived{counting: b}; return a })
	return f, a
}

// TestLinesView: the line's open run with its reconciliation, the files
// applied and quarantined with the problem and what to do, the manifests
// with their run.
func TestLinesView(t *testing.T) {
	f := newFixture(t)
	doc, code := f.get("/lines", f.login("vic"))
	if code != http.StatusOK {
		t.Fatalf("lines: %d", code)
	}
	runs := rowsOf(t, doc, "runs-L1")
	if len(runs) != 1 || !strings.HasPrefix(runs[0], "1 inv.pdf results awaited (job pending) 1 of 2 pieces accounted for inserted 1 open 1 1: 2") ||
		!strings.Contains(runs[0], "job 3 2 pieces, completed") {
		t.Errorf("runs %q", runs)
	}
	if rows := rowsOf(t, doc, "quarantined-L1"); len(rows) != 1 || !strings.Contains(rows[0], "b.jrf") || !strings.Contains(rows[0], "job 9 is not known") || !strings.Contains(rows[0], "drop only those") {
		t.Errorf("quarantined %q", rows)
	}
	if rows := rowsOf(t, doc, "applied-L1"); len(rows) != 1 || !strings.HasPrefix(rows[0], "a.jrf 512 B 2026-03-04 06:06:07 CET") {
		t.Errorf("applied %q (times in the operator's zone)", rows)
	}
	if rows := rowsOf(t, doc, "manifests-L1"); len(rows) != 1 || !strings.HasPrefix(rows[0], "job000001-main.txt job 1 2.0 KiB") {
		t.Errorf("manifests %q", rows)
	}
	if byID(doc, "waiting-L1") != nil || !strings.Contains(text(doc), "No result file is waiting.") {
		t.Error("no file waiting, yet a table of them")
	}
}

// TestJobShowsLineFilesAndCloseOut: the job page lists its run's
// manifests and result files and the close-out report.
func TestJobShowsLineFilesAndCloseOut(t *testing.T) {
	f := newFixture(t)
	doc, _ := f.get("/jobs/1", f.login("vic"))
	if rows := rowsOf(t, doc, "manifests"); len(rows) != 1 || !strings.HasPrefix(rows[0], "job000001-main.txt") {
		t.Errorf("manifests %q", rows)
	}
	if rows := rowsOf(t, doc, "resultfiles"); len(rows) != 1 || !strings.HasPrefix(rows[0], "a.jrf 2 2026-03-04 06:06:07 CET") {
		t.Errorf("result files %q", rows)
	}
	if h := byID(doc, "h-report"); h == nil {
		t.Error("no close-out report")
	}
}

// TestPrintersShowCapabilitiesPolicyCounters: each printer's card says
// what it can print, what happens on an error and what it did.
func TestPrintersShowCapabilitiesPolicyCounters(t *testing.T) {
	f := newFixtureWith(t, func(b *counting) localapi.Backend { return pooled{b} })
	doc, _ := f.get("/printers", f.login("vic"))
	card := byID(doc, "p-lp1")
	if card == nil {
		t.Fatal("no card of printer lp1")
	}
	got := text(card)
	for _, want := range []string{"application/pdf; duplex; media iso_a4_210x297mm (as the device said where not configured)",
		"retry the job every 30s, at most 5 times, then fail over to another pool member", "after 3 failures in a row", "(retry-job)",
		"12 outputs sent (3,400 sheets), 2 failed attempts, 1 in a row"} {
		if !strings.Contains(got, want) {
			t.Errorf("printer lp1 lacks %q:\n%s", want, got)
		}
	}
	if got := text(byID(doc, "p-out")); !strings.Contains(got, "not declared, and not asked") || !strings.Contains(got, "stop the printer until an operator resumes it") {
		t.Errorf("printer out: %s", got)
	}
}

// TestReportsView: the report's rows and total, in the table for its
// kind, with its chart drawn as PNG.
func TestReportsView(t *testing.T) {
	f, _ := newArchiveFixture(t)
	vic := f.login("vic")
	doc, code := f.get("/reports?kind=postage&by=day&from=2026-12-01&to=2026-12-03", vic)
	if code != http.StatusOK {
		t.Fatalf("reports: %d", code)
	}
	rows := rowsOf(t, doc, "report")
	if len(rows) != 3 || rows[0] != "2026-12-01 2 1,100 Standardbrief: 1,100 envelopes, 935.00 935.00" || rows[1] != "2026-12-02 0 0 – –" {
		t.Errorf("postage rows %q", rows)
	}
	img := byID(doc, "chart")
	if img == nil {
		t.Fatal("no chart")
	}
	w := f.do("GET", attr(img, "src"), nil, vic)
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/png" || !strings.HasPrefix(w.Body.String(), "\x89PNG") {
		t.Errorf("chart: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	doc, _ = f.get("/reports?kind=volumes&by=day&from=2026-12-01&to=2026-12-01", vic)
	if rows := rowsOf(t, doc, "report"); len(rows) != 1 || rows[0] != "2026-12-01 2 1,200 2,400 1,300 1,190 0 0 1,100" {
		t.Errorf("volume rows %q", rows)
	}
	doc, _ = f.get("/reports", vic) // the last week by day
	if rows := rowsOf(t, doc, "report"); len(rows) != reportDays {
		t.Errorf("the default report has %d rows; want %d days", len(rows), reportDays)
	}
	for _, bad := range []string{"kind=nosuch", "by=colour", "from=yesterday", "from=2026-12-05&to=2026-12-01"} {
		if w := f.do("GET", "/reports?"+bad, nil, vic); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `class="error"`) {
			t.Errorf("reports?%s: %d; want 400 with the problem", bad, w.Code)
		}
	}
}

// TestArchiveSearchAndPiece: the search turns the form into the API's
// conditions and lists what it found; a piece's page links its download,
// whose retrieval is in the audit trail.
func TestArchiveSearchAndPiece(t *testing.T) {
	f, a := newArchiveFixture(t)
	vic := f.login("vic")
	doc, code := f.get("/archive", vic)
	if code != http.StatusOK || byID(doc, "archive-results") != nil || a.searched != nil {
		t.Errorf("the empty form searched: %d %v", code, a.searched)
	}
	doc, _ = f.get("/archive?"+url.Values{"name": {"Müller"}, "job": {"1"}, "cond": {"zip=041*\r\n\r\n"}, "from": {"2026-03-04"}, "to": {"2026-03-04"}}.Encode(), vic)
	if strings.Join(a.searched, " ") != "text=Müller job=1 zip=041*" {
		t.Errorf("conditions %q", a.searched)
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	if want := time.Date(2026, 3, 4, 0, 0, 0, 0, berlin); !a.from.Equal(want) || !a.to.Equal(want.AddDate(0, 0, 1)) {
		t.Errorf("window %v to %v; want the 4th in the operator's zone", a.from, a.to)
	}
	rows := rowsOf(t, doc, "archive-results")
	if len(rows) != 1 || rows[0] != "2026-03-04 06:06:07 CET job 1 piece 1 Anna Müller invoices printed on lp1 2 (pdf) 2.2 KiB" {
		t.Errorf("results %q", rows)
	}
	if w := f.do("GET", "/archive?cond=nonsense", nil, vic); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "write FIELD=VALUE") {
		t.Errorf("a bad condition: %d", w.Code)
	}
	doc, code = f.get("/archive/seg1-000002-p2", vic)
	if code != http.StatusOK || !strings.Contains(text(byID(doc, "arecord")), "e-mailed to b@example.org") {
		t.Errorf("piece page: %d", code)
	}
	if byID(doc, "ar-btn") != nil {
		t.Error("a viewer is offered the reprint")
	}
	dl := byID(doc, "download")
	w := f.do("GET", attr(dl, "href"), nil, vic)
	if w.Code != http.StatusOK || w.Body.String() != "%PDF-1.7 seg1-000002-p2" || w.Header().Get("Content-Type") != "application/pdf" ||
		w.Header().Get("Content-Disposition") != `attachment; filename="job1-piece2-gen0.pdf"` {
		t.Errorf("download: %d %q %v", w.Code, w.Body, w.Header())
	}
	if a.caller != "vic (console)" {
		t.Errorf("the archive was told %q fetched the piece; want the console's user", a.caller)
	}
	if w := f.do("GET", "/archive/nosuch", nil, vic); w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "may have expired") {
		t.Errorf("a missing piece: %d", w.Code)
	}
	doc, _ = f.get("/jobs/1/pieces/1", vic)
	if a := byID(doc, "archived"); a == nil || attr(a, "href") != "/archive?job=1" {
		t.Errorf("the piece's archive link: %v", a)
	}
	entries, _ := audit.Read(f.auditTo, audit.Filter{Action: "archive.get"})
	if len(entries) != 1 || entries[0].User != "vic" || entries[0].Target != "archive piece seg1-000002-p2" || entries[0].Result != "ok" || !strings.Contains(entries[0].Detail, "job 1 piece 2") {
		t.Errorf("audit of the retrieval: %+v", entries)
	}
}

// TestArchiveWithoutArchive: a backend without an archive says how to
// configure one.
func TestArchiveWithoutArchive(t *testing.T) {
	f := newFixture(t)
	doc, code := f.get("/archive", f.login("vic"))
	if code != http.StatusOK || !strings.Contains(text(doc), "omsd has no archive") {
		t.Errorf("%d %s", code, text(doc))
	}
}

// TestArchiveReprintRoleAndOrigin: the reprint from the archive states
// its consequence, is refused for a viewer and from another site (nothing
// reaches the backend), and an operator's is done and recorded.
func TestArchiveReprintRoleAndOrigin(t *testing.T) {
	f, a := newArchiveFixture(t)
	vic, olga := f.login("vic"), f.login("olga")
	path := "/archive/seg1-000001-p1/do/reprint"
	form := url.Values{"workflow": {"invoices"}, "to": {"pool1"}}
	if w := f.do("GET", path+"?"+form.Encode(), nil, vic); w.Code != http.StatusForbidden {
		t.Errorf("viewer's confirmation: %d", w.Code)
	}
	if w := f.do("POST", path, form, vic); w.Code != http.StatusForbidden {
		t.Errorf("viewer's reprint: %d", w.Code)
	}
	if w := f.do("POST", path, form, olga, "Sec-Fetch-Site", "cross-site"); w.Code != http.StatusForbidden {
		t.Errorf("cross-site reprint: %d", w.Code)
	}
	if n := a.reprints.Load(); n != 0 {
		t.Fatalf("refused reprints reached the backend %d times", n)
	}
	doc, code := f.get(path+"?"+form.Encode(), olga)
	if got := text(byID(doc, "consequence")); code != http.StatusOK ||
		got != "Reprint the archived piece of job 1, piece 1 (Anna Müller, 2 pages, sent 2026-03-04 06:06:07 CET on print): its bytes as archived, marks included, become a new job of workflow invoices, printed on pool1 with no marks drawn again." {
		t.Errorf("confirmation %d: %q", code, got)
	}
	w := f.do("POST", path, form, olga)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/jobs/7" || a.reprints.Load() != 1 {
		t.Errorf("operator's reprint: %d %s, %d reprints", w.Code, w.Header().Get("Location"), a.reprints.Load())
	}
	entries, _ := audit.Read(f.auditTo, audit.Filter{Action: "archive.reprint"})
	if len(entries) != 3 || entries[0].Result != "denied" || entries[1].Result != "denied" || entries[2].User != "olga" || entries[2].Result != "ok" || !strings.Contains(entries[2].Detail, "→ Job 7 submitted") {
		t.Errorf("audit: %+v", entries)
	}
}

// pooled is the counting fake with printer lp1 in pool1.
type pooled struct{ *counting }

func (p pooled) Printers(ctx context.Context) ([]api.Printer, error) {
	ps, err := p.counting.Printers(ctx)
	for i := range ps {
		if ps[i].Name == "lp1" {
			ps[i].Pools = []string{"pool1"}
		}
	}
	return ps, err
}
