package reports

import (
	"context"
	"encoding/json"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/spool"
)

// summary is the part of a run's close-out the reports add up, kept in
// the spool once the run is finished so that a report over a long history
// reads one small record a run. The spool counts every change of a run
// and hands back only the summaries made at the run's current count, so
// a run changed afterwards (a reprint, an acknowledgement, results, a
// compaction) is worked out again from its close-out.
type summary struct {
	PiecesIn        int                  `json:"pi"`
	PagesIn         int                  `json:"gi"`
	SheetsIn        int                  `json:"si"`
	PiecesOut       int                  `json:"po"`
	PagesOut        int                  `json:"go"`
	SheetsOut       int                  `json:"so"`
	Envelopes       int                  `json:"e"`
	Postage         []api.ProductPostage `json:"p,omitempty"` // the run's and its reprints'
	Reprints        int                  `json:"r,omitempty"`
	ReprintedPieces int                  `json:"rp,omitempty"`
	// NoLine is how the close-out counted the pieces out (printed, not
	// accounted for by a line); the configuration decides it, so a
	// summary made under another one is worked out again.
	NoLine bool `json:"nl,omitempty"`
}

// summaryOf is the summary of close-out jr.
func summaryOf(jr api.JobReport) summary {
	sum := summary{PiecesIn: jr.PiecesIn, PagesIn: jr.PagesIn, SheetsIn: jr.SheetsIn, PiecesOut: jr.PiecesOut,
		PagesOut: jr.PagesOut, SheetsOut: jr.SheetsOut, Envelopes: jr.Envelopes, Reprints: len(jr.Reprints), NoLine: jr.NoLine,
		Postage: mergePostage(nil, jr.Postage, jr.ReprintPostage)}
	for _, rp := range jr.Reprints {
		sum.ReprintedPieces += rp.Pieces
	}
	return sum
}

// final reports whether close-out jr is worth keeping: its job finished
// and its loop, if any, closed. Open runs change all the time.
func final(jr api.JobReport) bool {
	return spool.State(jr.State).Terminal() && (jr.Loop == "none" || jr.Loop == spool.LoopClosed)
}

// noLine is whether run j's close-out counts its pieces out as printed
// under the current configuration (the loop's rule).
func (s *Service) noLine(j run) bool {
	_, hasLine := s.cfg.LineFor(j.Workflow, j.Printer)
	return !hasLine && !j.hasLoop
}

// summaries returns the valid stored summaries of runs, by first job,
// leaving out those the current configuration would count otherwise.
func (s *Service) summaries(runs []run) (map[int64]summary, error) {
	ids := make([]int64, len(runs))
	for i, j := range runs {
		ids[i] = j.ID
	}
	raw, err := s.store.RunSummaries(ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]summary, len(raw))
	for _, j := range runs {
		data, ok := raw[j.ID]
		if !ok {
			continue
		}
		var sum summary
		if json.Unmarshal(data, &sum) != nil || sum.NoLine != s.noLine(j) {
			continue // worked out again, and stored anew
		}
		out[j.ID] = sum
	}
	return out, nil
}

// closeOut is run id's summary worked out from its close-out; keep is
// the record to store for it, nil when the run is not finished.
func (s *Service) closeOut(ctx context.Context, id int64, changes uint64) (summary, *spool.RunSummary, error) {
	jr, err := s.runs.Report(ctx, id)
	if err != nil {
		return summary{}, nil, err
	}
	sum := summaryOf(jr)
	if !final(jr) {
		return sum, nil, nil
	}
	data, err := json.Marshal(sum)
	if err != nil {
		return sum, nil, err
	}
	return sum, &spool.RunSummary{Root: id, Changes: changes, Data: data}, nil
}
