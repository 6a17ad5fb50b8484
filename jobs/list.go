package jobs

import (
	"cmp"
	"slices"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/spool"
)

// listJobs selects the jobs of a listing (see api.JobQuery) in states
// (any if none): with q.All a page of every job, else every active job and
// a page of the newest finished ones. It reads only the jobs it returns.
func (r *Reader) listJobs(states []spool.State, q api.JobQuery) ([]spool.Job, error) {
	if q.All {
		return r.store.JobPage(q.Before, q.Limit, states...)
	}
	active, finished := spool.ActiveStates, spool.FinishedStates
	if len(states) > 0 {
		active = slices.DeleteFunc(slices.Clone(states), spool.State.Terminal)
		finished = slices.DeleteFunc(slices.Clone(states), func(s spool.State) bool { return !s.Terminal() })
	}
	var jobs []spool.Job
	if len(active) > 0 {
		a, err := r.store.JobsInState(active...)
		if err != nil {
			return nil, err
		}
		jobs = a
	}
	if len(finished) > 0 {
		limit := q.Limit
		if limit == 0 {
			limit = api.DefaultJobsLimit
		}
		f, err := r.store.JobPage(q.Before, limit, finished...)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, f...)
	}
	slices.SortFunc(jobs, func(a, b spool.Job) int { return cmp.Compare(a.ID, b.ID) })
	return jobs, nil
}
