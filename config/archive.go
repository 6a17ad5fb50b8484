package config

import (
	"fmt"
	"strconv"
	"time"
)

// Archive keeps every piece sent, as it went out, in immutable segments
// with a searchable index (package archive). Off when absent.
type Archive struct {
	// Dir holds the ledger, index and legal holds, and the segments when
	// the back end is the local directory (default "archive", under
	// state_dir).
	Dir string `yaml:"dir"`
	// Backend is where segments are stored: "dir" (the default, Dir/segments)
	// or "s3".
	Backend string     `yaml:"backend"`
	S3      *ArchiveS3 `yaml:"s3"`
	// Retention is how long pieces are kept when their workflow names no
	// retention of its own (default 10y).
	Retention Retention `yaml:"retention"`
}

// ArchiveS3 is an S3-compatible object store for the segments.
type ArchiveS3 struct {
	Endpoint string `yaml:"endpoint"` // host:port
	Bucket   string `yaml:"bucket"`
	Prefix   string `yaml:"prefix"` // prepended to segment names
	Region   string `yaml:"region"` // default us-east-1
	// AccessKey and SecretKeyFile are the credentials; the secret is read
	// from the file so that it stays out of the configuration.
	AccessKey     string `yaml:"access_key"`
	SecretKeyFile string `yaml:"secret_key_file"`
	// Insecure uses plain HTTP (only for an endpoint on loopback or a
	// trusted network); HTTPS with verified certificates otherwise.
	Insecure bool `yaml:"insecure"`
}

// WorkflowArchive says how a workflow's pieces are archived.
type WorkflowArchive struct {
	// Fields are the piece metadata fields indexed for search, e.g.
	// account, postcode, date.
	Fields []string `yaml:"fields"`
	// Text are the metadata fields searched as name and address, folding
	// case, accents and ß.
	Text []string `yaml:"text"`
	// Retention is how long the workflow's pieces are kept, e.g. 10y, 6y,
	// 18m (months), 90d; the archive's retention when empty.
	Retention Retention `yaml:"retention"`
	// Backlog lets the workflow's archiving run behind sending by up to
	// this many pieces: an output's pieces are written, synced, to a
	// backlog on the local disk and the output goes; the backlog is
	// stored in the archive's store as it answers. An output that would
	// pass the bound waits. 0 (the default): a piece is sent only once
	// the store holds it.
	Backlog int `yaml:"backlog"`
}

// DefaultArchiveRetention is the retention of pieces whose workflow names
// none: ten years, the longest of the German GoBD periods.
const DefaultArchiveRetention = Retention("10y")

// Retention is a retention period in years, months or days: "10y",
// "18m", "90d".
type Retention string

// Until is the end of the period begun at t.
func (r Retention) Until(t time.Time) (time.Time, error) {
	s := string(r)
	if len(s) < 2 {
		return time.Time{}, fmt.Errorf("retention %q: write a count and y, m or d, e.g. 10y", s)
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n < 0 || n > 1000 {
		return time.Time{}, fmt.Errorf("retention %q: write a count and y, m or d, e.g. 10y", s)
	}
	switch s[len(s)-1] {
	case 'y':
		return t.AddDate(n, 0, 0), nil
	case 'm':
		return t.AddDate(0, n, 0), nil
	case 'd':
		return t.AddDate(0, 0, n), nil
	}
	return time.Time{}, fmt.Errorf("retention %q: the unit is y, m or d, e.g. 10y", s)
}

func (c *Config) fillArchiveDefaults() {
	a := c.Archive
	if a == nil {
		return
	}
	setDefault(&a.Dir, "archive")
	setDefault(&a.Backend, "dir")
	if a.Retention == "" {
		a.Retention = DefaultArchiveRetention
	}
	if a.S3 != nil {
		setDefault(&a.S3.Region, "us-east-1")
		a.S3.SecretKeyFile = c.Path(a.S3.SecretKeyFile)
	}
}

func (c *Config) validateArchive(bad func(string, ...any)) {
	if a := c.Archive; a != nil {
		oneOf(bad, "archive.backend", a.Backend, "dir", "s3")
		if _, err := a.Retention.Until(time.Now()); err != nil {
			bad("archive.%v", err)
		}
		if a.Backend == "s3" && (a.S3 == nil || a.S3.Endpoint == "" || a.S3.Bucket == "") {
			bad("archive.backend is s3: set archive.s3.endpoint and archive.s3.bucket")
		}
	}
	for _, w := range c.Workflows {
		if w.Archive == nil {
			continue
		}
		if c.Archive == nil {
			bad("workflow %q: archive is set but the archive section is missing; add archive: {} to turn the archive on", w.Name)
		}
		if w.Archive.Backlog < 0 {
			bad("workflow %q: archive.backlog is %d: give the pieces archiving may run behind, or 0 to archive before sending", w.Name, w.Archive.Backlog)
		}
		if w.Archive.Retention != "" {
			if _, err := w.Archive.Retention.Until(time.Now()); err != nil {
				bad("workflow %q: archive.%v", w.Name, err)
			}
		}
	}
}

// AsSent is the workflow for a file printed exactly as it was sent
// before (an archive reprint): its pages already carry their marks and
// were planned, so nothing draws marks again, plans, sorts, routes to a
// digital channel or goes through an inserting line; the file is one
// piece. Printer, routing, format and archive stay.
func (w Workflow) AsSent() Workflow {
	w.Marks, w.Postage, w.Channels, w.Reprint, w.SortBy, w.Line = nil, nil, nil, nil, nil, ""
	w.Pieces = Pieces{Method: "whole"}
	return w
}
