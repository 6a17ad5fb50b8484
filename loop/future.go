package loop

import (
	"fmt"
	"time"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/records"
	"github.com/omsd/omsd/spool"
)

// clockSkew is how far a line's clock may run ahead of omsd's before a
// result time is a warning.
const clockSkew = 5 * time.Minute

// futureResult is a result whose time lies ahead of omsd's clock.
type futureResult struct {
	root int64
	res  records.Result
	what string // what the record names: piece, or envelope
	now  time.Time
}

// checkTime notes a result of run root whose time is later than omsd's
// clock by more than clockSkew: it is applied as the line wrote it (the
// line's record is the evidence), and the run gets a warning, as its
// history will be out of order.
func (rr *resultRead) checkTime(root int64, res records.Result, byEnvelope bool, now time.Time) {
	if !res.Time.After(now.Add(clockSkew)) {
		return
	}
	what := "piece"
	if byEnvelope {
		what = "envelope"
	}
	rr.future = append(rr.future, futureResult{root: root, res: res, what: what, now: now})
}

// warnFuture records a warning event on the run for each result of the
// file whose time lies in the future.
func (s *Service) warnFuture(line config.Line, name string, rr resultRead) {
	for _, f := range rr.future {
		msg := fmt.Sprintf("line %s: result file %s line %d: job %d %s %d %s at %s, %s ahead of omsd's clock (%s); applied as written: check the line's clock",
			line.Name, name, f.res.Line, f.res.Job, f.what, f.res.Seq, f.res.Event, f.res.Time.UTC().Format(time.RFC3339),
			f.res.Time.Sub(f.now).Round(time.Second), f.now.UTC().Format(time.RFC3339))
		s.log.Warn().Str("line", line.Name).Str("file", name).Int64("job", f.root).Int(f.what, f.res.Seq).Time("result_time", f.res.Time).Msg(msg)
		s.store.AddEvent(spool.Event{Time: f.now.UTC(), Job: f.root, Type: "warning", Message: msg})
	}
}
