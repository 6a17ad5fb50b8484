package events

// Reason keywords of the events that are not state changes. They let a
// reader of the event log (the metrics service, reports) tell what an
// event is about without reading its message, which is for people.
const (
	// ReasonOutputSending: a transmission of an output begins.
	ReasonOutputSending = "output-sending"
	// ReasonOutputSent: the device confirmed a transmission.
	ReasonOutputSent = "output-sent"
	// ReasonOutputFailed: a transmission failed.
	ReasonOutputFailed = "output-failed"
	// ReasonAlarmRaised: an integrity alarm was raised on a run.
	ReasonAlarmRaised = "integrity-alarm-raised"
	// ReasonAlarmAcknowledged: an operator acknowledged a run's alarms.
	ReasonAlarmAcknowledged = "integrity-alarm-acknowledged"
	// ReasonRunClosed: the inserting line accounted for every piece of a
	// run.
	ReasonRunClosed = "run-closed"
)
