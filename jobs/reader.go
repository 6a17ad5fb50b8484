package jobs

import (
	"context"
	"fmt"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/events"
	"github.com/omsd/omsd/spool"
)

// Reader reads jobs for the API and the console; it changes nothing.
type Reader struct{ store *spool.Store }

// NewReader returns the reader of store's jobs.
func NewReader(store *spool.Store) *Reader { return &Reader{store: store} }

// Counts is the number of jobs in each state.
func (r *Reader) Counts(ctx context.Context) (map[string]int, error) {
	counts, err := r.store.CountJobs()
	if err != nil {
		return nil, err
	}
	n := map[string]int{}
	for s, c := range counts {
		n[string(s)] = c
	}
	return n, nil
}

// Jobs lists the jobs of a listing (see api.JobQuery) in any of its
// states, or in any state if it names none.
func (r *Reader) Jobs(ctx context.Context, q api.JobQuery) ([]api.Job, error) {
	var ss []spool.State
	for _, s := range q.States {
		st := spool.State(s)
		if !st.Valid() {
			return nil, fmt.Errorf("%w: unknown state %q; use one of %v", api.ErrBadRequest, s, spool.States)
		}
		ss = append(ss, st)
	}
	jobs, err := r.listJobs(ss, q)
	if err != nil {
		return nil, err
	}
	out := make([]api.Job, 0, len(jobs))
	for _, j := range jobs {
		out = append(out, API(j))
	}
	return out, nil
}

// Job is one job with its pieces, their deliveries, its outputs and events.
func (r *Reader) Job(ctx context.Context, id int64) (api.JobDetail, error) {
	j, err := Find(r.store, id)
	if err != nil {
		return api.JobDetail{}, err
	}
	pieces, err := r.store.Pieces(id)
	if err != nil {
		return api.JobDetail{}, err
	}
	evs, err := r.store.JobEvents(id)
	if err != nil {
		return api.JobDetail{}, err
	}
	det := api.JobDetail{Job: API(j), PiecesDetail: make([]api.Piece, 0, len(pieces)), Events: make([]api.Event, 0, len(evs))}
	for _, p := range pieces {
		det.PiecesDetail = append(det.PiecesDetail, APIPiece(p))
	}
	for _, e := range evs {
		det.Events = append(det.Events, events.API(e))
	}
	sends, err := r.store.Sends(id)
	if err != nil {
		return api.JobDetail{}, err
	}
	for i := range det.PiecesDetail {
		if s, ok := sends[det.PiecesDetail[i].Seq]; ok {
			det.PiecesDetail[i].Delivery = &api.PieceSends{Sends: s.Sends, Printers: s.Printers, Confirmed: s.Confirmed}
		}
	}
	det.Outputs = APIOutputs(j)
	det.ReprintOf, det.Generation, det.Loop = j.ReprintOf, j.Generation, APILoop(j.Loop)
	return det, nil
}
