package records

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Result is one record of a result file, as a piece event: which piece,
// what happened to it, when, on which line and by whom.
type Result struct {
	Line     int // line number in the file
	Job      int64
	Seq      int
	Event    string // one of Events
	Code     string // the disposition code as written
	Time     time.Time
	Operator string
	Machine  string // the inserting line that reported it
}

// timeLayouts are the time formats a result's time field may use.
var timeLayouts = []string{"2006-01-02 15:04:05", time.RFC3339, "20060102150405", "2006-01-02T15:04:05"}

// ResultOf turns a piece record of a result file into a Result. Records of
// other types (headers, trailers) give ok false and no error.
func (l *Layout) ResultOf(rec Record) (res Result, ok bool, err error) {
	if rec.Type != "piece" {
		return Result{}, false, nil
	}
	res = Result{Line: rec.Line, Code: rec.Fields["disposition"], Operator: rec.Fields["operator"], Machine: rec.Fields["line"]}
	bad := func(format string, args ...any) (Result, bool, error) {
		return Result{}, false, &LineError{Line: rec.Line, Err: fmt.Errorf("%w: %s", ErrLine, fmt.Sprintf(format, args...))}
	}
	if res.Job, err = strconv.ParseInt(rec.Fields["job"], 10, 64); err != nil || res.Job <= 0 {
		return bad("job %q is not a job number", rec.Fields["job"])
	}
	seq, err := strconv.ParseInt(rec.Fields["piece"], 10, 32)
	if err != nil || seq <= 0 {
		return bad("piece %q is not a piece number", rec.Fields["piece"])
	}
	res.Seq = int(seq)
	if res.Event, ok = l.Event(res.Code); !ok {
		return bad("disposition %q is not one of the layout's codes", res.Code)
	}
	if t := strings.TrimSpace(rec.Fields["time"]); t != "" {
		if res.Time, ok = parseTime(t); !ok {
			return bad("time %q is not a date-time (want YYYY-MM-DD hh:mm:ss)", t)
		}
	}
	return res, true, nil
}

func parseTime(s string) (time.Time, bool) {
	for _, lay := range timeLayouts {
		if t, err := time.ParseInLocation(lay, s, time.UTC); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// ResultValues are the field values that write r in a result layout, with
// the layout's code for r's event.
func (l *Layout) ResultValues(r Result) map[string]string {
	code := r.Code
	if code == "" {
		code = l.CodeOf(r.Event)
	}
	v := map[string]string{
		"job": strconv.FormatInt(r.Job, 10), "piece": strconv.Itoa(r.Seq), "disposition": code,
		"operator": r.Operator, "line": r.Machine,
	}
	if !r.Time.IsZero() {
		v["time"] = r.Time.UTC().Format(timeLayouts[0])
	}
	return v
}

// CodeOf is the layout's disposition code for a piece event: the first code,
// in sorted order, that maps to it; the event name itself for a layout
// without codes.
func (l *Layout) CodeOf(event string) string {
	if len(l.Dispositions) == 0 {
		return event
	}
	best := ""
	for code, ev := range l.Dispositions {
		if ev == event && (best == "" || code < best) {
			best = code
		}
	}
	return best
}
