package metrics

import "github.com/prometheus/client_golang/prometheus"

// Stage names of omsd_job_stage_duration_seconds.
const (
	StageIntake   = "intake"   // taken in: from the job's creation until the file is in the spool
	StageAnalysis = "analysis" // pieces found, run planned, outputs composed
	StageQueue    = "queue"    // waiting for a printer
	StageSend     = "send"     // from the first transmission until completed
	StageTotal    = "total"    // from the job's creation until completed
	// StageCompletion is a run through an inserting line from its first
	// job's completion until the line accounted for every piece.
	StageCompletion = "completion"
)

// set is the service's counters and histograms, fed from the event log.
type set struct {
	pieces, pages, sheets, envelopes *prometheus.CounterVec
	stage                            *prometheus.HistogramVec
	sends, sendFailures              *prometheus.CounterVec
	retries, failovers               *prometheus.CounterVec
	results                          *prometheus.CounterVec
	reprints, reprintedPieces        *prometheus.CounterVec
	alarms                           prometheus.Counter
	postageSpent, postageSaved       *prometheus.CounterVec
	refusals                         *prometheus.CounterVec
	atRisk                           prometheus.Counter
}

func counter(name, help string, labels ...string) *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "omsd", Name: name, Help: help}, labels)
}

func newSet() *set {
	return &set{
		pieces:    counter("pieces_total", "Mail pieces of the jobs that finished, by workflow and final job state.", "workflow", "state"),
		pages:     counter("pages_total", "Pages of the jobs that finished, by workflow and final job state.", "workflow", "state"),
		sheets:    counter("sheets_total", "Sheets of the jobs that finished, by workflow and final job state.", "workflow", "state"),
		envelopes: counter("envelopes_total", "Envelopes of the jobs that finished, by workflow and final job state.", "workflow", "state"),
		stage: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: "omsd", Name: "job_stage_duration_seconds",
			Help:    "How long jobs took in each stage: intake, analysis, queue, send, total; completion for runs through a line.",
			Buckets: prometheus.ExponentialBuckets(0.05, 4, 11)}, []string{"stage"}),
		sends:           counter("printer_sends_total", "Transmissions of outputs begun, by printer.", "printer"),
		sendFailures:    counter("printer_send_failures_total", "Transmissions that failed, by printer.", "printer"),
		retries:         counter("printer_retries_total", "Transmissions of an output after its first, by printer.", "printer"),
		failovers:       counter("printer_failovers_total", "Outputs that went on to another printer after being sent to this one.", "printer"),
		results:         counter("result_events_total", "Piece events read from the inserting lines' result files, by line and disposition.", "line", "disposition"),
		reprints:        counter("reprints_total", "Reprint jobs queued, by reason (line, operator).", "reason"),
		reprintedPieces: counter("reprinted_pieces_total", "Pieces of the reprint jobs queued, by reason (line, operator).", "reason"),
		alarms: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "omsd", Name: "integrity_alarms_total",
			Help: "Integrity alarms raised (an envelope inserted twice)."}),
		postageSpent: counter("postage_spent_minor_units_total", "Postage of the envelopes of completed jobs, in minor currency units (cents), by carrier and product.", "carrier", "product"),
		postageSaved: counter("postage_saved_minor_units_total", "Postage the mail-run plan saved on completed runs, in minor currency units (cents), by carrier.", "carrier"),
		refusals:     counter("intake_refusals_total", "Jobs refused before they were analysed, by reason keyword.", "reason"),
		atRisk: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "omsd", Name: "deadline_at_risk_total",
			Help: "Jobs found at risk of missing their deadline."}),
	}
}

// Describe implements prometheus.Collector.
func (m *set) Describe(ch chan<- *prometheus.Desc) {
	for _, c := range m.all() {
		c.Describe(ch)
	}
}

// Collect implements prometheus.Collector.
func (m *set) Collect(ch chan<- prometheus.Metric) {
	for _, c := range m.all() {
		c.Collect(ch)
	}
}

func (m *set) all() []prometheus.Collector {
	return []prometheus.Collector{m.pieces, m.pages, m.sheets, m.envelopes, m.stage, m.sends, m.sendFailures,
		m.retries, m.failovers, m.results, m.reprints, m.reprintedPieces, m.alarms, m.postageSpent, m.postageSaved,
		m.refusals, m.atRisk}
}
