package intake

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/omsd/omsd/atomicfile"
	"github.com/omsd/omsd/spool"
)

// errorReport is written as NAME.error.json beside a rejected file.
type errorReport struct {
	File string `json:"file"` // the file's name in the error folder
	// OriginalName is the name the file arrived with; OriginalNameBytes
	// holds it byte for byte when it is not valid UTF-8 (which JSON text
	// cannot carry).
	OriginalName      string    `json:"original_name"`
	OriginalNameBytes []byte    `json:"original_name_bytes,omitempty"`
	Job               int64     `json:"job"`
	Workflow          string    `json:"workflow"`
	Source            string    `json:"source"`
	Reason            string    `json:"reason"`
	Error             string    `json:"error"`
	Time              time.Time `json:"time"`
	Sidecar           string    `json:"sidecar,omitempty"`
	Next              string    `json:"next"`
}

// ToErrorFolder moves a job's print file (and sidecar) to the error folder
// under its original name (shortened if it would not fit, see
// errorFileName), with NAME.error.json saying why. It returns the file's new
// path.
func (s *Service) ToErrorFolder(j spool.Job, reason string, cause error) (string, error) {
	orig := originalName(j)
	dst := atomicfile.FreeName(filepath.Join(s.errorDir, errorFileName(orig)))
	rep := errorReport{
		File: filepath.Base(dst), OriginalName: orig, Job: j.ID, Workflow: j.Workflow, Source: j.Source,
		Reason: reason, Error: cause.Error(), Time: time.Now().UTC(),
		Next: "fix the file (or its sidecar) and drop it into the hot folder again",
	}
	if !utf8.ValidString(orig) {
		rep.OriginalNameBytes = []byte(orig)
	}
	dir := s.store.JobDir(j.ID)
	if j.Sidecar != "" {
		side := atomicfile.FreeName(strings.TrimSuffix(dst, filepath.Ext(dst)) + filepath.Ext(j.Sidecar))
		if err := moveIfPresent(filepath.Join(dir, j.Sidecar), side); err != nil {
			return "", err
		}
		rep.Sidecar = filepath.Base(side)
	}
	if err := moveIfPresent(filepath.Join(dir, j.Input), dst); err != nil {
		return "", err
	}
	b, _ := json.MarshalIndent(rep, "", "  ")
	if _, err := atomicfile.WriteFile(dst+".error.json", bytes.NewReader(append(b, '\n')), 0o644); err != nil {
		return "", err
	}
	return dst, nil
}

// originalName is the name j's print file arrived with, byte for byte: from
// the intake journal, which keeps names that are not UTF-8 (Job.Name, a JSON
// string, does not).
func originalName(j spool.Job) string {
	if j.Intake != nil && len(j.Intake.Files) > 0 {
		return filepath.Base(string(j.Intake.Files[0].Source))
	}
	return j.Name
}

func moveIfPresent(src, dst string) error {
	if !fileExists(src) {
		return nil
	}
	return atomicfile.Move(src, dst)
}
