package spool

import (
	"encoding/json"
	"unicode/utf8"
)

// Intake steps of one file, in order. A file moves from a hot folder into its
// job's directory either by rename (one filesystem: IntakeRecorded, then
// IntakeMoved) or by copy (IntakeRecorded, IntakeCopied once the copy is
// complete, synced and its hash stored, then IntakeMoved once the source is
// removed).
const (
	IntakeRecorded = "recorded" // the intent is stored; nothing is known to be done
	IntakeCopied   = "copied"   // the copy is whole in the job directory; the source may still be there
	IntakeMoved    = "moved"    // the file is in the job directory and the source is gone
)

// Intake is the journal of a job's move out of a hot folder: what was found
// there, and how far each file got. It is stored with the job before the
// first file is touched, so that after a crash the move is finished from
// where it stopped instead of being started again.
type Intake struct {
	Files    []IntakeFile `json:"files"`               // the print file first, then its sidecar
	DoneFile Path         `json:"done_file,omitempty"` // the done-file, removed once every file is moved
}

// IntakeFile is one file of an Intake: the source's identity as found in the
// hot folder, where it goes, and its step.
type IntakeFile struct {
	Source Path   `json:"source"` // path in the hot folder
	Dest   string `json:"dest"`   // name inside the job directory
	Ident
	// SHA256 is the hex SHA-256 of the copy, computed while copying and
	// stored before the source is removed; empty after a rename.
	SHA256 string `json:"sha256,omitempty"`
	Step   string `json:"step"`
}

// Ident identifies a file as found on disk: the same device, inode, size and
// modification time mean the same file, unchanged.
type Ident struct {
	Dev     uint64 `json:"dev"`
	Ino     uint64 `json:"ino"`
	Size    int64  `json:"size"`
	MtimeNS int64  `json:"mtime_ns"`
}

// Moved reports whether every file of in reached IntakeMoved.
func (in *Intake) Moved() bool {
	for _, f := range in.Files {
		if f.Step != IntakeMoved {
			return false
		}
	}
	return true
}

// Path is a file path as the filesystem has it: any bytes but NUL. JSON
// strings carry only UTF-8, so a Path that is not UTF-8 is stored as
// {"bytes": base64} instead of a string, and comes back byte for byte.
type Path string

type pathBytes struct {
	Bytes []byte `json:"bytes"`
}

// MarshalJSON stores p as a JSON string if it is UTF-8, else as its bytes.
func (p Path) MarshalJSON() ([]byte, error) {
	if utf8.ValidString(string(p)) {
		return json.Marshal(string(p))
	}
	return json.Marshal(pathBytes{Bytes: []byte(p)})
}

// UnmarshalJSON reads either form MarshalJSON writes.
func (p *Path) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		err := json.Unmarshal(b, &s)
		*p = Path(s)
		return err
	}
	var v pathBytes
	err := json.Unmarshal(b, &v)
	*p = Path(v.Bytes)
	return err
}
