// Package lpd is omsd's LPD receiver (RFC 1179): hosts that print by LPR
// (z/OS IP PrintWay, ERP systems, Unix and Windows print servers, LPRng,
// CUPS) deliver print files to omsd's queues, each of which runs a
// workflow like a hot folder.
//
// Commands: 01 print waiting jobs (nothing to do: omsd prints as soon as
// it can), 02 receive a job, 03 and 04 the queue's state (short, long:
// the omsd jobs of the queue's workflow), 05 remove jobs (cancels the
// agent's omsd jobs; "root" may remove any). Within 02 the subcommands
// 01 abort, 02 control file and 03 data file come in any order, several
// jobs per connection. A data file of length 0, or of 999999999999 bytes
// or more, is read until the sender closes the connection (LPRng's stream
// mode, from 2^40; CUPS's lpd backend with mode=stream announces
// 999999999999; IP PrintWay's mode 3).
//
// Each data file of a job becomes one omsd job: a data file is a whole
// document (a PDF or an AFP stream), and PDFs cannot be joined byte by
// byte. A data file the control file prints several times (IP PrintWay's
// "optimize copies") is one job with the metadata field copies. The
// control file's lines become job metadata (lpd_host, lpd_user, lpd_job,
// lpd_class, lpd_banner, lpd_title, lpd_id, lpd_date, lpd_queue,
// lpd_format, lpd_source) and its -o name=value options are job metadata
// under their own names (blanks inside a value sent as X'1C').
//
// Durability: the acknowledgement (a zero octet) of the file that
// completes a job is sent only once every omsd job it makes is durable in
// the spool (intake's Submit). A job cut off (the connection closes, the
// sender aborts, a limit is hit) leaves no omsd job and no file: a single
// data file whose control file came first goes straight to Submit, which
// leaves nothing when its body fails; other files wait in a staging
// directory emptied when the job ends or omsd starts. If a job's second
// document cannot be stored after its first was, the first is canceled
// and the sender told to retry. A job omsd stored but did not acknowledge
// (it stopped in between) and that the sender sends again is recognised
// by its identity (resent) and acknowledged without a second job.
//
// Replies are LPRng's: 0 accepted, 1 the queue does not exist or take
// jobs, 2 temporarily not (the spool is short of space; retry), 3 the job
// is refused (too large, malformed; do not retry), a line of text after a
// refusal.
package lpd
