package web

import (
	"fmt"
	"strings"

	"github.com/omsd/omsd/api"
)

// fileList is a table of a line's files, for the template linefiles.
type fileList struct {
	P          page
	Files      []api.LineFile
	Kind, Line string
	Empty      string // what to say when there are none
}

// maxSeqsShown bounds the piece numbers a cell lists.
const maxSeqsShown = 30

// seqs writes piece numbers as ranges: "3, 5–7, 12"; past maxSeqsShown
// numbers it says how many more.
func seqs(ns []int) string {
	var parts []string
	shown := 0
	for i := 0; i < len(ns) && shown < maxSeqsShown; {
		j := i
		for j+1 < len(ns) && ns[j+1] == ns[j]+1 {
			j++
		}
		if j == i {
			parts = append(parts, fmt.Sprint(ns[i]))
		} else {
			parts = append(parts, fmt.Sprintf("%d–%d", ns[i], ns[j]))
		}
		shown += j - i + 1
		i = j + 1
	}
	s := strings.Join(parts, ", ")
	if shown < len(ns) {
		s += fmt.Sprintf(" and %d more", len(ns)-shown)
	}
	return s
}

// size is a file size in bytes, KiB, MiB.
func size(n int64) string { return humanBytes(uint64(max(n, 0))) }

// policy is a printer's error policy in words.
func policy(p api.PrinterPolicy, pools int) string {
	var s string
	switch p.Action {
	case "retry-job":
		s = fmt.Sprintf("retry the job every %s, at most %d times, then stop the job", p.Interval, p.Limit)
		if pools > 0 {
			s = fmt.Sprintf("retry the job every %s, at most %d times, then fail over to another pool member", p.Interval, p.Limit)
		}
	case "retry-current-job":
		s = "retry the job at once"
	case "stop-printer":
		s = "stop the printer until an operator resumes it"
	case "abort-job":
		s = "abort the job"
	default:
		s = p.Action
	}
	if p.FailoverAfter > 0 && pools > 0 {
		s += fmt.Sprintf("; after %d failures in a row its pool work goes to the other members", p.FailoverAfter)
	}
	return s + " (" + p.Action + ")"
}
