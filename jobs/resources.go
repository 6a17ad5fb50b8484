package jobs

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/diskspace"
	"github.com/omsd/omsd/events"
	"github.com/omsd/omsd/spool"
)

// ReasonResources is IPP's job-state-reason of a job held because omsd
// could not write its data: a full disk, a quota, a read-only filesystem,
// an I/O error. Whichever service failed to write holds the job; the
// daemon's space watcher resumes it when space returns.
const ReasonResources = "resources-are-not-ready"

// ReasonHoldSpecified is the reason of a job an operator holds.
const ReasonHoldSpecified = "job-hold-until-specified"

// HeldForResources reports whether the job waits for space to return.
func HeldForResources(j spool.Job) bool {
	return j.State == spool.Held && slices.Contains(j.StateReasons, ReasonResources)
}

// HeldReasons are the reasons of job j held for resources: the hold
// itself, and what the job still waits for besides.
func HeldReasons(j spool.Job) []string {
	r := []string{ReasonResources}
	if Incoming(j) {
		r = append(r, ReasonIncoming)
	}
	if j.State == spool.Held && slices.Contains(j.StateReasons, ReasonHoldSpecified) {
		r = append(r, ReasonHoldSpecified)
	}
	return r
}

// Resumed is where a job held for resources goes when space returns: back
// to an operator's hold, to intake, to analysis, or to its printers.
func Resumed(j spool.Job) (spool.State, []string) {
	rest := RemoveReason(j.StateReasons, ReasonResources)
	switch {
	case slices.Contains(rest, ReasonHoldSpecified):
		return spool.Held, []string{ReasonHoldSpecified}
	case Incoming(j):
		return spool.Pending, []string{ReasonIncoming}
	case !Analyzed(j):
		return spool.Pending, []string{"job-queued"}
	}
	return Released(j)
}

// Holder holds jobs that could not be written for want of resources. Its
// zero value is not usable; build it with NewHolder.
type Holder struct {
	pub   *events.Publisher
	space *diskspace.Monitor
	log   zerolog.Logger
}

// NewHolder returns a Holder that records holds through pub and closes
// space's gate on each resource error.
func NewHolder(pub *events.Publisher, space *diskspace.Monitor, log zerolog.Logger) Holder {
	return Holder{pub: pub, space: space, log: log}
}

// Fail holds job id because writing what failed with a resource error,
// and closes the gate until space returns.
func (h Holder) Fail(id int64, what string, cause error) {
	h.hold(id, fmt.Sprintf("%s: %s", what, diskspace.Describe(cause)))
	h.space.Fail(cause)
}

// Wait holds job id without trying to write: the gate is closed (why).
func (h Holder) Wait(id int64, why error) {
	h.hold(id, "waiting for space: "+strings.TrimPrefix(why.Error(), diskspace.ErrNotReady.Error()+": "))
}

// hold holds job id for resources with omsd's text: what ran out, where,
// and what an operator can do.
func (h Holder) hold(id int64, what string) {
	back := "space returns"
	if !strings.Contains(what, "min_free") {
		back = fmt.Sprintf("space returns (above spool.min_free, %s)", h.space.State().Min)
	}
	msg := what + "; the job resumes by itself once " + back + ": free space or grow the filesystem (or fix the device); omsctl job release tries again at once"
	j, err := h.pub.Update(id, func(j *spool.Job) error {
		if j.State.Terminal() {
			return nil
		}
		j.State, j.StateReasons, j.Message = spool.Held, HeldReasons(*j), msg
		return nil
	})
	if err != nil {
		h.log.Error().Err(err).Int64("job", id).Str("why", what).Msg("holding the job for resources")
		return
	}
	h.log.Warn().Int64("job", id).Str("state", string(j.State)).Str("why", what).Msg("job held for resources")
}
