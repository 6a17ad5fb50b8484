package ipp

import (
	"fmt"
	"time"
)

// bootSlack is how much later than the last reading the printer's start
// may seem before it is taken as a restart: it absorbs the drift between
// the printer's clock and ours over a long job.
const bootSlack = 2 * time.Second

// upClock follows a printer's up-time (printer-up-time, and the
// job-printer-up-time of every Get-Job-Attributes answer) to tell when the
// printer restarted. A printer that restarts forgets its jobs, and may give
// a new job the id of one it forgot: nothing it says about a job after a
// restart is about ours.
//
// Up-time is in whole seconds. A reading taken by a request sent at s and
// answered at r puts the printer's start in [s-up-1s, r-up]; the printer
// restarted when its up-time went back, or when that window lies wholly
// after the previous reading's window (the printer was down longer than
// it had been up).
type upClock struct {
	known  bool
	last   int       // last up-time read, seconds
	bootHi time.Time // the latest the printer can have started, by the last reading
}

// observe records an up-time read by a request sent at sent and answered
// at got. It returns what shows a restart since the previous reading, or
// "" when there is none.
func (c *upClock) observe(up int, sent, got time.Time) string {
	lo := sent.Add(-time.Duration(up+1) * time.Second)
	hi := got.Add(-time.Duration(up) * time.Second)
	var why string
	switch {
	case !c.known:
	case up < c.last:
		why = fmt.Sprintf("printer-up-time went back from %ds to %ds", c.last, up)
	case lo.Sub(c.bootHi) > bootSlack:
		why = fmt.Sprintf("printer-up-time %ds says the printer started again %v after the last reading's start",
			up, lo.Sub(c.bootHi).Round(time.Second))
	}
	c.known, c.last, c.bootHi = true, up, hi
	return why
}
