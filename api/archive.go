package api

import (
	"net/url"
	"time"
)

// Paths of the archive.
const (
	PathArchive        = "/v1/archive"
	PathArchivePieces  = PathArchive + "/pieces"  // GET: search (ParamQuery..., ParamFrom, ParamTo, ParamLimit)
	PathArchiveHolds   = PathArchive + "/holds"   // GET: list, POST: place an ArchiveHoldRequest
	PathArchiveVerify  = PathArchive + "/verify"  // POST
	PathArchiveReindex = PathArchive + "/reindex" // POST
	PathArchiveExpire  = PathArchive + "/expire"  // POST
	PathArchiveReprint = PathArchive + "/reprint" // POST an ArchiveReprintRequest
	PathArchiveExport  = PathArchive + "/export"  // POST an ArchiveExportRequest
)

// ParamQuery is a condition of the archive search: FIELD=VALUE,
// FIELD=PREFIX*, FIELD=LOW..HIGH or text=WORDS; repeated. The search also
// takes ParamFrom (sent at or after) and ParamTo (sent before).
const ParamQuery = "q"

// HeaderSHA256 carries an archived piece's recorded SHA-256 with its bytes.
const HeaderSHA256 = "X-Omsd-Sha256"

// ArchivePiecePath is the record of an archived piece; + "/data" its bytes.
func ArchivePiecePath(id string) string { return PathArchivePieces + "/" + url.PathEscape(id) }

// ArchiveHoldPath is one legal hold (DELETE releases it).
func ArchiveHoldPath(name string) string { return PathArchiveHolds + "/" + url.PathEscape(name) }

// ArchiveRecord is one archived piece.
type ArchiveRecord struct {
	ID          string            `json:"id"`
	Job         int64             `json:"job"`
	Seq         int               `json:"seq"`
	Generation  int               `json:"generation"`
	Envelope    int               `json:"envelope,omitempty"`
	Name        string            `json:"name,omitempty"`
	Workflow    string            `json:"workflow"`
	Channel     string            `json:"channel"`
	Printer     string            `json:"printer,omitempty"`
	Recipient   string            `json:"recipient,omitempty"` // e-mail address or portal target
	Output      string            `json:"output,omitempty"`
	Format      string            `json:"format"`
	Pages       int               `json:"pages"`
	Sent        time.Time         `json:"sent"`
	Size        int64             `json:"size"`
	SHA256      string            `json:"sha256"`
	Fields      map[string]string `json:"fields,omitempty"`
	Text        []string          `json:"text,omitempty"`
	RetainUntil time.Time         `json:"retain_until"`
	Segment     string            `json:"segment"`
	Offset      int64             `json:"offset"`
	Length      int64             `json:"length"`
}

// ArchiveHoldRequest places a legal hold on the pieces Query selects
// (conditions as ParamQuery) and those listed.
type ArchiveHoldRequest struct {
	Name   string    `json:"name"`
	Reason string    `json:"reason,omitempty"`
	Query  []string  `json:"query,omitempty"`
	From   time.Time `json:"from,omitzero"`
	To     time.Time `json:"to,omitzero"`
	Pieces []string  `json:"pieces,omitempty"`
}

// ArchiveHold is a legal hold.
type ArchiveHold struct {
	Name    string    `json:"name"`
	Reason  string    `json:"reason,omitempty"`
	Pieces  []string  `json:"pieces"`
	Created time.Time `json:"created"`
	By      string    `json:"by,omitempty"`
}

// ArchiveProblem is one mismatch verify found.
type ArchiveProblem struct {
	Segment string `json:"segment,omitempty"`
	Piece   string `json:"piece,omitempty"`
	Line    uint64 `json:"ledger_line,omitempty"`
	What    string `json:"what"`
}

// ArchiveVerify is what verify checked and found.
type ArchiveVerify struct {
	Entries  int              `json:"ledger_entries"`
	Segments int              `json:"segments"`
	Pieces   int              `json:"pieces"`
	Bytes    int64            `json:"bytes"`
	Problems []ArchiveProblem `json:"problems,omitempty"`
}

// ArchiveReindex is what a rebuild of the index indexed.
type ArchiveReindex struct {
	Segments int `json:"segments"`
	Pieces   int `json:"pieces"`
}

// ArchiveExpired is one segment an expiry deleted, or kept for a hold.
type ArchiveExpired struct {
	Segment string   `json:"segment"`
	Pieces  []string `json:"pieces"`
	Held    []string `json:"held,omitempty"`
}

// ArchiveExpire is what an expiry run did.
type ArchiveExpire struct {
	Deleted []ArchiveExpired `json:"deleted"`
	Kept    []ArchiveExpired `json:"kept_for_holds,omitempty"`
}

// ArchiveReprintRequest prints archived pieces again, their bytes as
// archived, each as a new job of Workflow (the daemon's default if empty),
// on To (a printer or pool) instead of the workflow's printer if set.
type ArchiveReprintRequest struct {
	Pieces   []string `json:"pieces"`
	Workflow string   `json:"workflow,omitempty"`
	To       string   `json:"to,omitempty"`
}

// ArchiveReprintResult lists the jobs the reprint submitted.
type ArchiveReprintResult struct {
	Jobs []Job `json:"jobs"`
}

// ArchiveExportRequest exports the pieces Query selects into Dir, in
// Format (cmod-generic: IBM CMOD generic indexer).
type ArchiveExportRequest struct {
	Format string    `json:"format"`
	Query  []string  `json:"query"`
	From   time.Time `json:"from,omitzero"`
	To     time.Time `json:"to,omitzero"`
	Dir    string    `json:"dir"`
}

// ArchiveExportResult names what the export wrote.
type ArchiveExportResult struct {
	Pieces    int    `json:"pieces"`
	IndexFile string `json:"index_file"`
	Dir       string `json:"dir"` // one file per piece, PIECE.pdf or PIECE.afp
}

// ArchiveStatus is the archive's state in the daemon's status.
type ArchiveStatus struct {
	Store    string `json:"store"`
	Ready    bool   `json:"ready"` // the store answered since omsd started
	Segments int    `json:"segments"`
	Pieces   int    `json:"pieces"`
	Holds    int    `json:"holds"`
	// Problem is why outputs wait for the archive, since Since; empty
	// while it takes them.
	Problem string    `json:"problem,omitempty"`
	Since   time.Time `json:"since,omitzero"`
	// Backlog is the pieces sent but not stored yet, of workflows whose
	// archiving may run behind (archive.backlog), in BacklogBytes on the
	// local disk, the oldest queued at BacklogSince.
	Backlog      int       `json:"backlog"`
	BacklogBytes int64     `json:"backlog_bytes"`
	BacklogSince time.Time `json:"backlog_since,omitzero"`
}
