package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/omsd/omsd/api"
)

// parsePieces reads "5,7-9" into piece numbers, each 1 to last.
func parsePieces(s string, last int) ([]int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, inputErr("name the pieces to reprint, e.g. 5,7-9")
	}
	var out []int
	for part := range strings.SplitSeq(s, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(part), "-")
		a, err1 := strconv.Atoi(strings.TrimSpace(lo))
		b := a
		var err2 error
		if isRange {
			b, err2 = strconv.Atoi(strings.TrimSpace(hi))
		}
		if err1 != nil || err2 != nil || a < 1 || b < a || b > last {
			return nil, inputErr("%q is not a piece or range of pieces 1 to %d (write e.g. 5,7-9)", part, last)
		}
		for n := a; n <= b; n++ {
			out = append(out, n)
		}
		if len(out) > last {
			return nil, inputErr("the pieces %q name more pieces than the job has (%d)", s, last)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// maxSeq is the job's last piece number.
func maxSeq(j api.JobDetail) int {
	m := 0
	for _, p := range j.PiecesDetail {
		m = max(m, p.Seq)
	}
	return m
}

// countSheets counts the pieces of seqs the job has and their sheets.
func countSheets(j api.JobDetail, seqs []int) (pieces, sheets int) {
	for _, p := range j.PiecesDetail {
		if _, found := slices.BinarySearch(seqs, p.Seq); found {
			pieces++
			sheets += p.Sheets
		}
	}
	return pieces, sheets
}

// targetOr is the form's target, else the job's printer.
func targetOr(f url.Values, j api.JobDetail) string {
	if t := f.Get("target"); t != "" {
		return t
	}
	return j.Printer
}

// restartOf reads a restart form: from a piece on, or the pieces named.
func restartOf(j api.JobDetail, f url.Values) (api.JobRestart, error) {
	r := api.JobRestart{Target: f.Get("target")}
	if s := strings.TrimSpace(f.Get("pieces")); s != "" {
		seqs, err := parsePieces(s, maxSeq(j))
		r.Pieces = seqs
		return r, err
	}
	from, err := strconv.Atoi(strings.TrimSpace(f.Get("from")))
	if err != nil || from <= 0 || from > maxSeq(j) {
		return r, inputErr("give the piece to restart from, 1 to %d, or the pieces to restart (e.g. 5,7-9)", maxSeq(j))
	}
	r.FromPiece = from
	return r, nil
}

func priorityOf(f url.Values) (int, error) {
	p, err := strconv.Atoi(strings.TrimSpace(f.Get("priority")))
	if err != nil || p < -1000 || p > 1000 {
		return 0, inputErr("give the priority as a whole number from -1000 to 1000 (0 is the default; higher goes first)")
	}
	return p, nil
}
