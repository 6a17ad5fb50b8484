package api

// Listener is one network receiver as omsctl status shows it.
type Listener struct {
	Protocol string `json:"protocol"` // "lpd", "ipp"
	Address  string `json:"address"`  // where it listens, e.g. 127.0.0.1:5515
	// Error says why it does not listen (e.g. the address is in use).
	Error    string   `json:"error,omitempty"`
	Queues   []string `json:"queues"`   // the queue names it takes jobs on
	Open     int      `json:"open"`     // connections being served
	Accepted int64    `json:"accepted"` // connections served since start
	// Refused counts the connections and jobs refused since start, by
	// reason (not-allowed, too-many-connections, timeout, too-large, ...).
	Refused map[string]int64 `json:"refused,omitempty"`
}
