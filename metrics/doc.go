// Package metrics is omsd's Prometheus endpoint. It observes and never
// changes a job: its counters come from the spool's event log, read in
// order from the last event it saw (woken by the event publisher, and
// caught up before every scrape), and from the spool's records of the jobs
// the events name; its gauges are read at scrape time from the spool and
// from the queues' printer states. What a service does that the event log
// does not carry one event for (a line's piece events, a reprint's reason)
// it is told through a small interface the service is built with
// (loop.Observer).
//
// The metrics, on a private registry with the Go and process collectors:
//
//	omsd_jobs{state}                                 jobs by state (gauge)
//	omsd_jobs_oldest_change_age_seconds{state}       the active job in state that changed longest ago
//	omsd_pieces_total{workflow,state}                pieces of jobs that finished (completed, canceled, aborted)
//	omsd_pages_total, omsd_sheets_total, omsd_envelopes_total   likewise
//	omsd_job_stage_duration_seconds{stage}           intake, analysis, queue, send, total, completion (histogram)
//	omsd_queue_depth{printer}, omsd_queue_sheets{printer}
//	omsd_printer_state{printer,state}                1 for the printer's state, 0 for the others
//	omsd_printer_sends_total{printer}                transmissions begun
//	omsd_printer_send_failures_total{printer}
//	omsd_printer_retries_total{printer}              transmissions after the first of an output
//	omsd_printer_failovers_total{printer}            outputs that left the printer for another
//	omsd_result_events_total{line,disposition}       piece events of the lines' result files
//	omsd_reprints_total{reason}, omsd_reprinted_pieces_total{reason}
//	omsd_integrity_alarms_total, omsd_integrity_alarms_open
//	omsd_postage_spent_minor_units_total{carrier,product}   envelopes of completed jobs
//	omsd_postage_saved_minor_units_total{carrier}    the plan's saving, of completed runs
//	omsd_intake_refusals_total{reason}               jobs refused before they were analysed
//	omsd_filesystem_free_bytes{path}, omsd_filesystem_min_free_bytes{path}
//
// No label carries a job, a piece or a recipient: only configured names
// (workflows, printers, lines, carriers, products) and keywords.
package metrics
