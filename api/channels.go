package api

import "time"

// Delivery is where one piece stands on a digital channel (e-mail or
// portal): pending (waiting for its next try), sending (an attempt whose
// outcome is not recorded), delivered, failed (waiting for its fallback
// job) or fell-back (printed in FallbackJob).
type Delivery struct {
	Seq         int       `json:"seq"`
	Channel     string    `json:"channel"`
	State       string    `json:"state"`
	To          string    `json:"to,omitempty"`
	MessageID   string    `json:"message_id,omitempty"`
	Attempts    int       `json:"attempts"`
	NextTry     time.Time `json:"next_try,omitzero"`
	Reply       string    `json:"reply,omitempty"`
	Error       string    `json:"error,omitempty"`
	FallbackJob int64     `json:"fallback_job,omitempty"`
	OpenBy      time.Time `json:"open_by,omitzero"`
	Opened      time.Time `json:"opened,omitzero"`
	Updated     time.Time `json:"updated"`
}

// Deliveries are a job's digital deliveries, by piece, and their count by
// state.
type Deliveries struct {
	Job        int64          `json:"job"`
	States     map[string]int `json:"states"`
	Deliveries []Delivery     `json:"deliveries"`
}

// DeliveriesPath is the path of job id's digital deliveries:
// /v1/jobs/{id}/deliveries.
func DeliveriesPath(id int64) string { return JobPath(id) + "/deliveries" }
