package api

import "time"

// PathAudit is the audit trail of the network front ends: GET, with
// ParamUser, ParamAction, ParamLimit.
const PathAudit = "/v1/audit"

// Query parameters of GET /v1/audit.
const (
	ParamUser   = "user"
	ParamAction = "action"
)

// DefaultAuditLimit is how many entries the audit listing shows by default.
const DefaultAuditLimit = 200

// AuditQuery selects audit entries: the newest Limit (DefaultAuditLimit if
// 0) of User's and Action's (every one's if empty), oldest first.
type AuditQuery struct {
	User, Action string
	Limit        int
}

// AuditEntry is one action a person took through a network front end
// (the web console): who, with which role, from where, what, on what, and
// how it ended.
type AuditEntry struct {
	Time   time.Time `json:"time"`
	User   string    `json:"user"`
	Role   string    `json:"role,omitempty"`
	Peer   string    `json:"peer,omitempty"`
	Action string    `json:"action"`
	Target string    `json:"target,omitempty"`
	Result string    `json:"result"`
	Detail string    `json:"detail,omitempty"`
}
