package loop

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/meta"
	"github.com/omsd/omsd/postage"
	"github.com/omsd/omsd/spool"
)

// envelopeKey is the metadata field that holds a reprint's letters to the
// envelopes they were printed in when the reprint is planned.
const envelopeKey = "omsd.envelope"

// envelopes maps each expected piece of the run to its envelope and each
// envelope to its letters, in print order.
type envelopes struct {
	of      map[int]int
	letters map[int][]int
}

func envelopesOf(root spool.Job, pieces []spool.Piece) envelopes {
	e := envelopes{of: map[int]int{}, letters: map[int][]int{}}
	for _, p := range pieces {
		if env, ok := envelopeOf(p); ok {
			e.of[p.Seq] = env
		}
	}
	for _, s := range printOrder(root, slices.Collect(func(yield func(int) bool) {
		for _, p := range pieces {
			if !yield(p.Seq) {
				return
			}
		}
	})) {
		if env, ok := e.of[s]; ok {
			e.letters[env] = append(e.letters[env], s)
		}
	}
	return e
}

// wholeEnvelopes widens seqs to the envelopes they were printed in: with
// each letter, the other letters of its envelope that the line has not
// accounted for (open, or needing a reprint themselves), so that a
// reprint holds every letter the envelope lost. A letter the line
// reported resolved is left out (it went out in an envelope already).
func (rs runStatus) wholeEnvelopes(seqs []int) []int {
	out := slices.Clone(seqs)
	for _, s := range seqs {
		for _, other := range rs.envs.letters[rs.envs.of[s]] {
			if st := rs.pieces[other].status; other != s && (st == statusOpen || st == statusReprint) {
				out = append(out, other)
			}
		}
	}
	return printOrder(rs.root, out)
}

// planReprint plans the postage of a reprint's pieces with the workflow's
// postage settings and rate profile: each envelope of the run keeps its
// letters (one household key per envelope) and its envelope ID (the one
// its barcodes and manifest carry), and gets the envelope type, product,
// level and price the plan gives it now. Without postage settings the
// pieces keep their placements.
func planReprint(wf config.Workflow, pieces []spool.Piece) error {
	if wf.Postage == nil {
		return nil
	}
	cfg := *wf.Postage
	cfg.Household = postage.Household{Enabled: true, Key: []string{envelopeKey}}
	for _, e := range cfg.Envelopes {
		cfg.Household.MaxSheets = max(cfg.Household.MaxSheets, e.MaxSheets)
	}
	in := make([]postage.Piece, len(pieces))
	orig := map[int]int{}
	b := meta.NewBuilder()
	for i, p := range pieces {
		env, _ := envelopeOf(p)
		orig[p.Seq] = env
		b.SetAll(p.Meta)
		b.Set(envelopeKey, strconv.Itoa(env))
		in[i] = postage.Piece{Seq: p.Seq, Pages: p.Pages, Sheets: p.Sheets, Meta: b.End()}
	}
	plan, err := postage.Make(in, cfg)
	if err != nil {
		return fmt.Errorf("planning the reprint's postage: %w", err)
	}
	placed := map[int]*mailpiece.Placement{}
	for _, e := range plan.Envelopes {
		for _, s := range e.Pieces {
			placed[s] = mailpiece.Place(orig[s], &mailpiece.EnvelopeClass{EnvelopeType: e.Type, Sheets: e.Sheets, Product: e.Product,
				Level: e.Level, Price: e.Price.String(), Output: "reprint", Inserts: e.Insert})
		}
	}
	for i := range pieces {
		if pl, ok := placed[pieces[i].Seq]; ok {
			pieces[i].Placement = pl
		}
	}
	return nil
}

// reprintPostage is the postage of the envelopes of reprint job rj, by
// product, and their total.
func (s *Service) reprintPostage(rj spool.Job) (api.ReprintPostage, error) {
	pieces, err := s.store.Pieces(rj.ID)
	if err != nil {
		return api.ReprintPostage{}, err
	}
	n, by := postageByProduct(pieces)
	rp := api.ReprintPostage{Job: rj.ID, Generation: rj.Generation, Envelopes: n, Postage: by, Total: sumPostage(by).String()}
	for _, p := range pieces {
		rp.Pieces = append(rp.Pieces, p.Seq)
	}
	return rp, nil
}

// ReprintPostage lists the postage of every reprint of the run of job id,
// for omsctl plan.
func (s *Service) ReprintPostage(id int64) ([]api.ReprintPostage, error) {
	j, err := s.store.Job(id)
	if err != nil {
		return nil, err
	}
	if j.ReprintOf != 0 {
		if j, err = s.store.Job(j.ReprintOf); err != nil {
			return nil, err
		}
	}
	if j.Loop == nil {
		return nil, nil
	}
	var out []api.ReprintPostage
	for _, rid := range j.Loop.Reprints {
		rj, err := s.store.Job(rid)
		if err != nil {
			return nil, err
		}
		rp, err := s.reprintPostage(rj)
		if err != nil {
			return nil, err
		}
		out = append(out, rp)
	}
	return out, nil
}

func sumPostage(by []api.ProductPostage) postage.Money {
	var m postage.Money
	for _, p := range by {
		if v, err := postage.ParseMoney(p.Postage); err == nil {
			m += v
		}
	}
	return m
}
