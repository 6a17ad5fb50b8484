// Package deadline works out when a job must be printed (its SLA) from its
// workflow's deadline setting and its pieces' metadata, and when it will
// be, from the sheets ahead of it and its printers' speed. The metrics
// service predicts with it; the reports count met and missed deadlines.
package deadline

import (
	"strings"
	"time"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
)

// fieldLayouts are the ways a metadata field may write a deadline; those
// without a zone are in the daemon's.
var fieldLayouts = []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02"}

// Of is the deadline of a job that arrived at arrived, with pieces and
// the job's own metadata meta, under d (nil: none): the earliest deadline
// its pieces' Field names, else the one its metadata's Field names, else
// By the day it arrived (the next day when it arrived later), else Within
// of its arrival. ok is false when the job has none. Times of day and
// fields without a zone are read in loc.
func Of(d *config.WorkflowDeadline, arrived time.Time, pieces []mailpiece.Piece, meta map[string]string, loc *time.Location) (time.Time, bool) {
	if d == nil {
		return time.Time{}, false
	}
	if t, ok := fromField(d.Field, pieces, loc); ok {
		return t, true
	}
	if d.Field != "" {
		if t, ok := parse(meta[d.Field], loc); ok {
			return t, true
		}
	}
	switch {
	case d.By != "":
		clock, err := time.Parse(config.ClockLayout, d.By)
		if err != nil {
			return time.Time{}, false
		}
		a := arrived.In(loc)
		t := time.Date(a.Year(), a.Month(), a.Day(), clock.Hour(), clock.Minute(), 0, 0, loc)
		if a.After(t) {
			t = t.AddDate(0, 0, 1)
		}
		return t, true
	case d.Within > 0:
		return arrived.Add(d.Within.Std()), true
	}
	return time.Time{}, false
}

// fromField is the earliest deadline the pieces' field names.
func fromField(field string, pieces []mailpiece.Piece, loc *time.Location) (time.Time, bool) {
	if field == "" {
		return time.Time{}, false
	}
	var first time.Time
	for _, p := range pieces {
		t, ok := parse(p.Meta.Get(field), loc)
		if ok && (first.IsZero() || t.Before(first)) {
			first = t
		}
	}
	return first, !first.IsZero()
}

// parse reads a deadline a metadata field writes.
func parse(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range fieldLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// Predict is when sheets will have been printed, from now, at perSecond
// sheets a second (now, if there are none; never, the zero time, if the
// speed is not positive).
func Predict(now time.Time, sheets int, perSecond float64) time.Time {
	if sheets <= 0 {
		return now
	}
	if perSecond <= 0 {
		return time.Time{}
	}
	return now.Add(time.Duration(float64(sheets) / perSecond * float64(time.Second)))
}
