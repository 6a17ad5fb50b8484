package markread

import (
	"fmt"

	"github.com/omsd/omsd/marks"
)

// Collate groups sheets into envelopes as the line does: at each EOC (or,
// for a code without EOC marks, before each BOC). It returns, per
// envelope, the indexes of its sheets. Sheets after the last EOC, or an
// envelope whose feeders or match code change from sheet to sheet, are
// an error: the line would stop.
func Collate(codes []Code) ([][]int, error) {
	var envs [][]int
	var cur []int
	for i, c := range codes {
		if !c.HasEOC && c.HasBOC && c.BOC && len(cur) > 0 {
			envs, cur = append(envs, cur), nil
		}
		if len(cur) > 0 {
			first := codes[cur[0]]
			if first.FeederDigits() != c.FeederDigits() || first.Match != c.Match {
				return nil, fmt.Errorf("%w: sheet %d: feeders %s match %d, the envelope's first sheet %s %d", ErrUnreadable,
					i+1, c.FeederDigits(), c.Match, first.FeederDigits(), first.Match)
			}
		}
		cur = append(cur, i)
		if c.HasEOC && c.EOC {
			envs, cur = append(envs, cur), nil
		}
	}
	if len(cur) > 0 && codes[cur[0]].HasEOC {
		return nil, fmt.Errorf("%w: the last %d sheets have no end of collation", ErrUnreadable, len(cur))
	}
	if len(cur) > 0 {
		envs = append(envs, cur)
	}
	return envs, nil
}

// CheckSequence checks that the WAS bits of the sheets count as the
// profile's sequence says: up or down, with or without zero, wrapping,
// from the start of the output or of each envelope (BOC, or the sheet
// after an EOC).
func CheckSequence(p *marks.Profile, codes []Code) error {
	sq := p.OMR.Sequence
	bits := 0
	for _, name := range p.OMR.Positions {
		bits += btoi(name == "WAS")
	}
	if bits == 0 {
		return nil
	}
	lo, top := 1, 1<<bits-1
	if sq.Zero {
		lo = 0
	}
	start, step := lo, 1
	if sq.Count == "down" {
		start, step = top, -1
	}
	want, newEnv := start, true
	for i, c := range codes {
		if sq.Reset != "continuous" && ((c.HasBOC && c.BOC) || (!c.HasBOC && newEnv)) {
			want = start
		}
		if c.Sequence != want {
			return fmt.Errorf("%w: sheet %d: sequence %d, want %d", ErrUnreadable, i+1, c.Sequence, want)
		}
		want += step
		if want > top {
			want = lo
		} else if want < lo {
			want = top
		}
		newEnv = c.HasEOC && c.EOC
	}
	return nil
}
