package archive

import (
	"context"
	"fmt"
)

// Problem is one mismatch verify found.
type Problem struct {
	Segment string `json:"segment,omitempty"`
	Piece   string `json:"piece,omitempty"`
	Line    uint64 `json:"ledger_line,omitempty"`
	What    string `json:"what"`
}

// VerifyResult is what verify checked and found.
type VerifyResult struct {
	Entries  int       `json:"ledger_entries"`
	Segments int       `json:"segments"`
	Pieces   int       `json:"pieces"`
	Bytes    int64     `json:"bytes"`
	Problems []Problem `json:"problems,omitempty"`
}

// Verify recomputes the ledger's chain, every live segment's SHA-256 and
// digest, and every piece's SHA-256, and names each mismatch.
func (s *Service) Verify(ctx context.Context) (VerifyResult, error) {
	s.mu.Lock()
	entries := append([]Entry(nil), s.ledger.entries...)
	live := s.ledger.live()
	s.mu.Unlock()
	res := VerifyResult{Entries: len(entries)}
	prev := ""
	for _, e := range entries {
		if e.Prev != prev || e.chainHash(prev) != e.Hash {
			res.Problems = append(res.Problems, Problem{Segment: e.Segment, Line: e.N, What: "the ledger's hash chain breaks here: the line was changed, removed or reordered"})
		}
		prev = e.Hash
	}
	names, err := s.store.List(ctx)
	if err != nil {
		return res, fmt.Errorf("%w: listing %s: %w", ErrStore, s.store, err)
	}
	stored := map[string]bool{}
	for _, n := range names {
		stored[n] = true
		if _, ok := live[n]; !ok {
			res.Problems = append(res.Problems, Problem{Segment: n, What: "the store holds a segment the ledger does not name as live"})
		}
	}
	for _, e := range entries {
		if live[e.Segment].N != e.N {
			continue
		}
		res.Segments++
		if !stored[e.Segment] {
			res.Problems = append(res.Problems, Problem{Segment: e.Segment, Line: e.N, What: "missing from the store"})
			continue
		}
		res.Problems = append(res.Problems, s.verifySegment(ctx, e, &res)...)
	}
	return res, nil
}

// verifySegment checks one segment against its ledger entry.
func (s *Service) verifySegment(ctx context.Context, e Entry, res *VerifyResult) []Problem {
	seg, err := s.store.Get(ctx, e.Segment)
	if err != nil {
		return []Problem{{Segment: e.Segment, Line: e.N, What: "cannot be read: " + err.Error()}}
	}
	res.Bytes += int64(len(seg))
	var ps []Problem
	if d := digest(seg); d != e.SHA256 {
		ps = append(ps, Problem{Segment: e.Segment, Line: e.N, What: fmt.Sprintf("SHA-256 %s, the ledger recorded %s", d, e.SHA256)})
	}
	recs, err := readTable(seg)
	if err != nil {
		return append(ps, Problem{Segment: e.Segment, Line: e.N, What: err.Error()})
	}
	for _, r := range recs {
		res.Pieces++
		if r.Offset < 0 || r.Length < 0 || r.Offset+r.Length > int64(len(seg)) {
			ps = append(ps, Problem{Segment: e.Segment, Piece: r.ID, What: "its frame lies outside the segment"})
			continue
		}
		if _, err := openFrame(r, seg[r.Offset:r.Offset+r.Length]); err != nil {
			ps = append(ps, Problem{Segment: e.Segment, Piece: r.ID, What: err.Error()})
		}
	}
	return ps
}
