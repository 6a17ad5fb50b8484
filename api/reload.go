package api

import "time"

// PathReload is the endpoint that reloads the daemon's configuration
// (POST): the file is read again and checked; a configuration with
// problems is refused (400, every problem in the message) and the running
// one stays.
const PathReload = "/v1/reload"

// Reload answers a reload.
type Reload struct {
	Accepted bool   `json:"accepted"`
	Message  string `json:"message"`
}

// ReloadStatus is the outcome of the daemon's last reload (SIGHUP or the
// API): applied, or refused with why; the running configuration stays
// after a refusal.
type ReloadStatus struct {
	Time    time.Time `json:"time"`
	Applied bool      `json:"applied"`
	Error   string    `json:"error,omitempty"` // why it was refused
	Changes []string  `json:"changes,omitempty"`
}
