package pipeline

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
)

// Inspection is what `omsctl inspect` reports of a print file.
type Inspection struct {
	File   string            `json:"file"`
	Format string            `json:"format"` // pdf or afp
	Pages  int               `json:"pages"`
	Sheets int               `json:"sheets"`
	Method string            `json:"method"` // how the pieces were found
	Pieces []mailpiece.Piece `json:"pieces"`
}

// Inspect analyses the print file at path as wf says, without writing
// anything. An empty wf.Format is detected from the file's first bytes.
func Inspect(path string, wf config.Workflow, sidecar string) (Inspection, error) {
	if wf.Format == "" {
		format, err := DetectFormat(path)
		if err != nil {
			return Inspection{}, err
		}
		wf.Format = format
	}
	if wf.Pieces.Method == "" {
		wf.Pieces.Method = "auto"
	}
	f, err := Open(path, wf)
	if err != nil {
		return Inspection{}, err
	}
	a, err := f.Analyze(wf, sidecar)
	if err != nil {
		return Inspection{}, err
	}
	return Inspection{File: path, Format: wf.Format, Pages: a.Pages, Sheets: a.Sheets, Method: a.Method, Pieces: a.Pieces}, nil
}

// DetectFormat tells a PDF (%PDF- within the first kilobyte) from AFP (a
// structured field introducer 0x5A first, possibly after a record prefix).
func DetectFormat(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, 1024)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF {
		if err == io.EOF {
			return "", badFormat(fmt.Errorf("%s is empty", path))
		}
		return "", err
	}
	head = head[:n]
	switch {
	case bytes.Contains(head, []byte("%PDF-")):
		return "pdf", nil
	case len(head) > 0 && head[0] == 0x5A, len(head) > 4 && head[4] == 0x5A:
		return "afp", nil
	}
	return "", badFormat(fmt.Errorf("%s is neither PDF nor AFP", path))
}

// FindSidecar returns the sidecar index beside the print file at path, or
// "" when there is none.
func FindSidecar(path string) string {
	for _, p := range mailpiece.SidecarFor(path) {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}
