package intake

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"time"

	"github.com/omsd/omsd/atomicfile"
	"github.com/omsd/omsd/spool"
)

// errorReport is written as NAME.error.json beside a rejected file.
type errorReport struct {
	File     string    `json:"file"`
	Job      int64     `json:"job"`
	Workflow string    `json:"workflow"`
	Source   string    `json:"source"`
	Reason   string    `json:"reason"`
	Error    string    `json:"error"`
	Time     time.Time `json:"time"`
	Sidecar  string    `json:"sidecar,omitempty"`
	Next     string    `json:"next"`
}

// ToErrorFolder moves a job's print file (and sidecar) to the error folder
// under its original name, with NAME.error.json saying why. It returns the
// file's new path.
func (s *Service) ToErrorFolder(j spool.Job, reason string, cause error) (string, error) {
	dst := atomicfile.FreeName(filepath.Join(s.errorDir, j.Name))
	rep := errorReport{
		File: filepath.Base(dst), Job: j.ID, Workflow: j.Workflow, Source: j.Source,
		Reason: reason, Error: cause.Error(), Time: time.Now().UTC(),
		Next: "fix the file (or its sidecar) and drop it into the hot folder again",
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

func moveIfPresent(src, dst string) error {
	if !fileExists(src) {
		return nil
	}
	return atomicfile.Move(src, dst)
}
