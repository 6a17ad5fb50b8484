// Package archive keeps every piece omsd sent, exactly as it went out, in
// immutable segments, with a ledger that chains each segment's SHA-256 to
// the one before and a search index derived from the segments.
//
// Archiving is part of sending: the daemon hands the queues an Archiver
// that stores an output's pieces here before the output goes to the
// printer; a piece the printer may print is always archived first. An
// output whose pieces the store cannot take (full, unreachable) is held
// and says so.
//
// The channels service is given an archiver in the same way: each piece
// e-mailed or dropped in the portal is archived, the PDF as delivered,
// before its first attempt, under its print id with the channel added
// (JOB-SEQ-GENERATION-email), with its recipient; a delivery the store
// cannot take waits.
//
// Under its directory (state_dir/archive by default):
//
//	ledger.jsonl   one line per segment closed or deleted, hash-chained
//	segments/      the segments, NAME.seg (the local back end)
//	index.db       the search index (package archive/index), rebuilt
//	               from the ledger's live segments by Reindex
//	index.db.unsynced  while the index is open: the boot ID of the system that opened it
//	holds.json     the legal holds
//
// Storing a segment: build it in memory (frames, piece table, trailer),
// Put it to the back end (durable on return), append and sync the
// ledger line, then index it (on a goroutine of its own, without fsync:
// indexing.go, index/unsynced.go). A crash after the Put leaves a segment the
// ledger does not name; Open adopts it (after checking its digest) so
// nothing sent is missing, and the index, caught up from the ledger at
// Open, makes a second store of the same pieces a no-op.
package archive
