package api

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
