package api

import "errors"

// Sentinel errors shared by the daemon and the client. A backend wraps the
// first three so that the handler can pick the HTTP status; the client maps
// the status back to the same sentinel. ErrTooLarge is chosen by the handler
// itself, for a body over its limit.
var (
	ErrNotFound         = errors.New("api: not found")          // 404
	ErrConflict         = errors.New("api: conflict")           // 409, e.g. releasing a job that is not held
	ErrBadRequest       = errors.New("api: bad request")        // 400
	ErrTooLarge         = errors.New("api: upload too large")   // 413: over the daemon's api.max_upload
	ErrDaemonNotRunning = errors.New("api: daemon not running") // nothing answers on the socket
)
