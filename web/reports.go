package web

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/chart"
)

// reportsData is the reports page's.
type reportsData struct {
	Kind, By, From, To string // the form, dates in the operator's zone
	Kinds, Groupings   []string
	Report             *api.Report
	Chart              string // the chart's URL; empty if it has nothing to draw
	Problem            string
}

// reportDays is the window a report shows by default: the last week.
const reportDays = 7

// reportQuery reads the form of the reports page and the chart: the
// kind, grouping and the days from and to (included) in loc.
func reportQuery(v url.Values, loc *time.Location, now time.Time) (reportsData, api.ReportQuery, error) {
	d := reportsData{Kind: v.Get("kind"), By: v.Get("by"), From: v.Get("from"), To: v.Get("to"),
		Kinds: api.ReportKinds, Groupings: api.ReportGroupings}
	if d.Kind == "" {
		d.Kind = api.ReportVolumes
	}
	if v.Get("by") == "" && v.Get("kind") == "" {
		d.By = api.ByDay
	}
	today := now.In(loc).Format("2006-01-02")
	if d.To == "" {
		d.To = today
	}
	if d.From == "" {
		t, _ := time.ParseInLocation("2006-01-02", d.To, loc)
		d.From = t.AddDate(0, 0, -(reportDays - 1)).Format("2006-01-02")
	}
	q := api.ReportQuery{Kind: d.Kind, By: d.By}
	if !slices.Contains(api.ReportKinds, d.Kind) {
		return d, q, inputErr("there is no report %q; choose one of %s", d.Kind, strings.Join(api.ReportKinds, ", "))
	}
	if d.By != "" && !slices.Contains(api.ReportGroupings, d.By) {
		return d, q, inputErr("a report cannot be grouped by %q; choose one of %s", d.By, strings.Join(api.ReportGroupings, ", "))
	}
	from, err1 := time.ParseInLocation("2006-01-02", d.From, loc)
	to, err2 := time.ParseInLocation("2006-01-02", d.To, loc)
	if err1 != nil || err2 != nil {
		return d, q, inputErr("write the days as 2026-12-05")
	}
	if to.Before(from) {
		return d, q, inputErr("the last day (%s) is before the first (%s)", d.To, d.From)
	}
	q.From, q.To = from, to.AddDate(0, 0, 1)
	return d, q, nil
}

func (c *Console) reportsPage(w http.ResponseWriter, r *http.Request, se *session) {
	d, q, err := reportQuery(r.URL.Query(), se.loc, c.opt.Now())
	if err != nil {
		d.Problem = strings.TrimPrefix(err.Error(), errInput.Error()+": ")
		c.render(w, r, http.StatusBadRequest, "reports", se, d)
		return
	}
	rep, err := c.b.PeriodReport(r.Context(), q)
	if errors.Is(err, api.ErrBadRequest) {
		d.Problem = err.Error()
		c.render(w, r, http.StatusBadRequest, "reports", se, d)
		return
	}
	if err != nil {
		c.backendError(w, r, se, err)
		return
	}
	d.Report = &rep
	if _, err := chart.Draw(rep); err == nil {
		d.Chart = "/reports/chart.png?" + url.Values{"kind": {d.Kind}, "by": {d.By}, "from": {d.From}, "to": {d.To}}.Encode()
	}
	c.render(w, r, http.StatusOK, "reports", se, d)
}

// reportChart is the report's chart as PNG, drawn as omsctl report --png
// draws it.
func (c *Console) reportChart(w http.ResponseWriter, r *http.Request, se *session) {
	_, q, err := reportQuery(r.URL.Query(), se.loc, c.opt.Now())
	if err != nil {
		http.Error(w, strings.TrimPrefix(err.Error(), errInput.Error()+": "), http.StatusBadRequest)
		return
	}
	rep, err := c.b.PeriodReport(r.Context(), q)
	if err != nil {
		c.backendError(w, r, se, err)
		return
	}
	var b bytes.Buffer
	rep.From, rep.To = rep.From.In(se.loc), rep.To.In(se.loc) // the title in the operator's zone
	if err := chart.WritePNG(&b, rep); err != nil {
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=60")
	b.WriteTo(w)
}
