package queues

import (
	"time"

	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/spool"
)

// printedEntries are the history entries of the pieces the printer
// printed in an attempt.
func printedEntries(a attempt) []spool.TrackEntry {
	now := time.Now().UTC()
	entries := make([]spool.TrackEntry, len(a.seqs))
	for i, s := range a.seqs {
		entries[i] = spool.TrackEntry{Root: jobs.Root(a.job), Seq: s, Event: spool.PieceEvent{
			Time: now, Kind: spool.TrackPrinted, Job: a.job.ID, Generation: a.job.Generation, Device: a.q.Name, Detail: "output " + a.out.Name}}
	}
	return entries
}
