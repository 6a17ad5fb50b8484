// Package spool is omsd's durable store: jobs, their mail pieces and an event
// log in a bbolt database, and each job's print data in files beside it.
//
// A spool directory looks like this:
//
//	<dir>/
//	  spool.db        bbolt database, locked by the one omsd that uses it
//	  jobs/<id>/      a job's print file and sidecar (see Store.JobDir)
//
// The database holds one top-level bucket per storage layout. Version 1:
//
//	v1/
//	  meta/        schema_version -> uint64 BE
//	  jobs/        <id uint64 BE> -> Job JSON           (sequence: last job ID)
//	  pieces/      <id uint64 BE>/
//	                 <seq uint64 BE> -> Piece JSON
//	  events/      <seq uint64 BE> -> Event JSON        (sequence: last event Seq)
//	  jobevents/   <id uint64 BE>/
//	                 <seq uint64 BE> -> empty           (index into events/)
//	  printers/    <name> -> PrinterState JSON          (schema 2: operator's printer state)
//	  sends/       <id uint64 BE>/                      (schema 2: per-piece sends)
//	                 <seq uint64 BE> -> PieceSends JSON
//	  tracks/      <first job id uint64 BE>/            (schema 3: piece histories)
//	                 <seq uint64 BE>/
//	                   <n uint64 BE> -> PieceEvent JSON (sequence: last n)
//	  results/     <sha256 of the file> -> ResultFile JSON (schema 3: result files applied)
//	  states/      <state>/                             (schema 4: job indexes, see index.go)
//	                 <id uint64 BE> -> empty
//	  queues/      <printer>/                           (unsent outputs of pending and processing jobs)
//	                 <^priority uint64 BE><id uint64 BE><output uint32 BE> -> sheets uint64 BE
//	  unrouted/    <id uint64 BE> -> empty              (jobs with an unsent output on no printer)
//	  openloops/   <id uint64 BE> -> empty              (jobs whose closed loop is not closed)
//	  retain/      <id uint64 BE> -> Updated (unix ns uint64 BE) (finished jobs not yet compacted)
//	  trackdue/    <settled unix ns uint64 BE><id uint64 BE> -> empty (runs whose histories await retention)
//	  chdeliveries/ <id uint64 BE>/                     (created on first use: digital deliveries, channels.go)
//	                 <seq uint64 BE> -> Delivery JSON
//	  chopen/      <id uint64 BE> -> uint64 BE          (jobs with deliveries not done: how many)
//	  runchanges/  <first job id uint64 BE> -> uint64 BE (created on first use: a run's changes, summaries.go)
//	  summaries/   <first job id uint64 BE> -> changes uint64 BE + bytes (created on first use: run summaries)
//
// Every write of a job record updates its index entries in the same
// transaction, so finding the work of a scheduling step (JobsInState,
// ActiveJobs, Queue, Unrouted) reads only the jobs concerned, however long
// the history. CompactJob removes a finished job's print data, pieces,
// sends and events and keeps a small record.
//
// All bucket and key names live in buckets.go. The schema version counts the
// migrations applied (see schema.go); a database written by a newer omsd is
// refused rather than guessed at.
//
// Every write is one bbolt transaction, committed with fsync before the call
// returns, so what a Store method reported as stored survives kill -9 and
// power loss. Nothing bbolt owns leaves the package: callers get copies of
// domain types (Job, Piece, Event), never transactions or mapped bytes.
//
// Print data is written with atomicfile.WriteFile and atomicfile.Move,
// which go through a temp file, fsync and rename, so a job
// directory holds either a whole file or none.
//
// A job taken from a hot folder carries its intake journal (Job.Intake): each
// file's identity in the hot folder, its step (recorded, copied, moved) and
// the SHA-256 of a copy, stored before the source is removed, so that the
// daemon can finish a move cut off by a crash instead of starting it again.
package spool
