package loop

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/postage"
	"github.com/omsd/omsd/spool"
)

// Report is a run's close-out: pieces, pages and sheets in and out,
// envelopes, postage by product, reprints, unaccounted pieces.
func (s *Service) Report(ctx context.Context, id int64) (api.JobReport, error) {
	j, err := jobs.Find(s.store, id)
	if err != nil {
		return api.JobReport{}, err
	}
	rs, err := s.runStatus(jobs.Root(j))
	if err != nil {
		return api.JobReport{}, err
	}
	root := rs.root
	rep := api.JobReport{Job: root.ID, Name: root.Name, State: string(root.State), Loop: "none",
		PiecesIn: root.Pieces, PagesIn: root.Pages, SheetsIn: root.Sheets, Status: map[string]int{}, Unaccounted: []int{}}
	if l := root.Loop; l != nil {
		rep.Line, rep.Loop, rep.Alarms = l.Line, l.State, l.Alarms
	}
	for _, o := range root.Outputs {
		if o.Sent {
			rep.PagesOut, rep.SheetsOut = rep.PagesOut+o.Pages, rep.SheetsOut+o.Sheets
		}
	}
	for _, s := range rs.expected {
		st := rs.pieces[s]
		rep.Status[st.status]++
		if st.resolved() {
			rep.PiecesOut++
		} else {
			rep.Unaccounted = append(rep.Unaccounted, s)
		}
	}
	if err := s.addReprints(&rep, root); err != nil {
		return rep, err
	}
	pieces, err := s.store.Pieces(root.ID)
	if err != nil {
		return rep, err
	}
	rep.Held = root.Pieces - len(rs.expected)
	rep.Envelopes, rep.Postage = postageByProduct(pieces)
	rep.Channels = channelCounts(pieces)
	if len(rep.Postage) > 0 || len(rep.ReprintPostage) > 0 {
		rep.PostageTotal = (sumPostage(rep.Postage) + sumPostage(rep.ReprintPostage)).String()
	}
	rep.Incidents = incidents(root.Loop)
	return rep, s.countPrinted(&rep, rs)
}

// addReprints lists the run's reprint jobs, counts what they printed and
// adds the postage of their envelopes (those not aborted or canceled).
func (s *Service) addReprints(rep *api.JobReport, root spool.Job) error {
	if root.Loop == nil {
		return nil
	}
	var by []api.ProductPostage
	for _, id := range root.Loop.Reprints {
		rj, err := s.store.Job(id)
		if err != nil {
			return err
		}
		rp, err := s.reprintPostage(rj)
		if err != nil {
			return err
		}
		rep.Reprints = append(rep.Reprints, api.ReprintSummary{Job: rj.ID, Generation: rj.Generation, Pieces: rj.Pieces, Sheets: rj.Sheets,
			State: string(rj.State), Envelopes: rp.Envelopes, Postage: rp.Total})
		if rj.State != spool.Aborted && rj.State != spool.Canceled {
			by = append(by, rp.Postage...)
		}
		for _, o := range rj.Outputs {
			if o.Sent {
				rep.PagesOut, rep.SheetsOut = rep.PagesOut+o.Pages, rep.SheetsOut+o.Sheets
			}
		}
	}
	rep.ReprintPostage = mergePostage(by)
	return nil
}

// mergePostage adds up the postage lines of each product.
func mergePostage(lines []api.ProductPostage) []api.ProductPostage {
	type sum struct {
		envelopes int
		money     postage.Money
	}
	by := map[string]*sum{}
	for _, l := range lines {
		if by[l.Product] == nil {
			by[l.Product] = &sum{}
		}
		m, _ := postage.ParseMoney(l.Postage)
		by[l.Product].envelopes += l.Envelopes
		by[l.Product].money += m
	}
	var out []api.ProductPostage
	for name, s := range by {
		out = append(out, api.ProductPostage{Product: name, Envelopes: s.envelopes, Postage: s.money.String()})
	}
	sort.Slice(out, func(i, k int) bool { return out[i].Product < out[k].Product })
	return out
}

// postageByProduct counts the envelopes (those of the plan, or one per
// piece without a plan) and sums the planned postage per carrier product.
func postageByProduct(pieces []spool.Piece) (int, []api.ProductPostage) {
	type sum struct {
		envelopes int
		money     postage.Money
	}
	seen := map[int]bool{}
	by := map[string]*sum{}
	for _, p := range pieces {
		pl := p.Placement
		if pl == nil { // no plan: each piece is an envelope of its own
			seen[-p.Seq] = true
			continue
		}
		if pl.Held || seen[pl.Envelope] {
			continue
		}
		seen[pl.Envelope] = true
		s := by[pl.Product]
		if s == nil {
			s = &sum{}
			by[pl.Product] = s
		}
		s.envelopes++
		if m, err := postage.ParseMoney(pl.Price); err == nil {
			s.money += m
		}
	}
	var out []api.ProductPostage
	for name, s := range by {
		out = append(out, api.ProductPostage{Product: name, Envelopes: s.envelopes, Postage: s.money.String()})
	}
	sort.Slice(out, func(i, k int) bool { return out[i].Product < out[k].Product })
	return len(seen), out
}

// Track returns one piece's history; id may name any job of the run.
func (s *Service) Track(ctx context.Context, id int64, seq int) (api.Track, error) {
	j, err := jobs.Find(s.store, id)
	if err != nil {
		return api.Track{}, err
	}
	root := jobs.Root(j)
	bySeq, err := jobs.PiecesBySeq(s.store, root)
	if err != nil {
		return api.Track{}, err
	}
	p, ok := bySeq[seq]
	if !ok {
		return api.Track{}, fmt.Errorf("%w: job %d has no piece %d", api.ErrNotFound, root, seq)
	}
	evs, err := s.store.Track(root, seq)
	if err != nil {
		return api.Track{}, err
	}
	tracks := map[int][]spool.PieceEvent{seq: evs}
	s.dropVoidReprints(tracks)
	tr := api.Track{Job: root, Seq: seq, Status: statusOf(tracks[seq]).status, Piece: jobs.APIPiece(p), Events: make([]api.PieceEvent, 0, len(evs))}
	for _, e := range evs {
		tr.Events = append(tr.Events, api.PieceEvent(e))
	}
	return tr, nil
}

// Reprint reprints pieces of a run at the operator's request.
func (s *Service) Reprint(ctx context.Context, id int64, r api.ReprintRequest) (api.ReprintResult, error) {
	root, child, err := s.manualReprint(id, r)
	if err != nil && !errors.Is(err, api.ErrNotFound) && !errors.Is(err, api.ErrConflict) && !errors.Is(err, api.ErrBadRequest) {
		return api.ReprintResult{}, fmt.Errorf("reprint: %w", err)
	}
	return api.ReprintResult{Job: jobs.API(root), Reprint: jobs.API(child)}, err
}

// channelCounts counts pieces by their channel; nil when none was decided.
func channelCounts(pieces []spool.Piece) map[string]int {
	var out map[string]int
	for _, p := range pieces {
		if p.Channel == "" {
			continue
		}
		if out == nil {
			out = map[string]int{}
		}
		out[p.Channel]++
	}
	if out != nil {
		out["print"] += len(pieces) - sumCounts(out)
	}
	return out
}

func sumCounts(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
