package localapitest

import (
	"context"
	"fmt"

	"github.com/omsd/omsd/api"
)

// Report answers a fixed close-out for job 1: two pieces, one inserted,
// one unaccounted.
func (f *Backend) Report(ctx context.Context, id int64) (api.JobReport, error) {
	j, err := f.get(id)
	if err != nil {
		return api.JobReport{}, err
	}
	return api.JobReport{Job: j.ID, Name: j.Name, State: j.State, Loop: "open", PiecesIn: j.Pieces, PagesIn: j.Pages,
		SheetsIn: j.Sheets, PiecesOut: 1, Status: map[string]int{"inserted": 1, "open": 1}, Unaccounted: []int{2},
		Postage:        []api.ProductPostage{{Product: "Standardbrief", Envelopes: 2, Postage: "1.90"}},
		Reprints:       []api.ReprintSummary{{Job: 3, Generation: 1, Pieces: 2, Sheets: 2, State: "completed", Envelopes: 1, Postage: "0.95"}},
		ReprintPostage: []api.ProductPostage{{Product: "Standardbrief", Envelopes: 1, Postage: "0.95"}},
		PostageTotal:   "2.85",
		Incidents: []api.Incident{
			{Alarm: "piece 1 inserted 2 times (last on L1, a.jrf)", Pieces: []int{1}, Raised: T0,
				Acknowledged: &api.Ack{By: "alice", Time: T0, Reason: "second envelope pulled"}},
			{Alarm: "piece 2 inserted 2 times (last on L1, b.jrf)", Pieces: []int{2}, Raised: T0},
		}}, nil
}

// Track answers the history of piece 1 of a job; other pieces are not
// found.
func (f *Backend) Track(ctx context.Context, id int64, seq int) (api.Track, error) {
	if _, err := f.get(id); err != nil {
		return api.Track{}, err
	}
	if seq != 1 {
		return api.Track{}, fmt.Errorf("%w: job %d has no piece %d", api.ErrNotFound, id, seq)
	}
	return api.Track{Job: id, Seq: 1, Status: "inserted", Events: []api.PieceEvent{
		{Time: T0, Kind: "received"}, {Time: T0, Kind: "printed", Device: "lp1"}, {Time: T0, Kind: "inserted", Line: "L1", Operator: "op"}}}, nil
}

// Reprint answers a reprint job 3 of the pieces asked for.
func (f *Backend) Reprint(ctx context.Context, id int64, r api.ReprintRequest) (api.ReprintResult, error) {
	j, err := f.get(id)
	if err != nil {
		return api.ReprintResult{}, err
	}
	if len(r.Pieces) == 0 {
		return api.ReprintResult{}, fmt.Errorf("%w: job %d: no piece needs a reprint", api.ErrConflict, id)
	}
	child := api.Job{ID: 3, Name: j.Name + " (reprint 1)", Printer: r.Target, State: "pending", Pieces: len(r.Pieces)}
	return api.ReprintResult{Job: j, Reprint: child}, nil
}

// Ack answers the job, released, when a reason is given; its message
// names who acknowledged.
func (f *Backend) Ack(ctx context.Context, id int64, a api.AlarmAck) (api.Job, error) {
	j, err := f.get(id)
	if err != nil {
		return api.Job{}, err
	}
	if a.Reason == "" {
		return api.Job{}, fmt.Errorf("%w: an acknowledgement needs a reason", api.ErrBadRequest)
	}
	j.State, j.Message = "completed", "acknowledged by "+a.By
	return j, nil
}
