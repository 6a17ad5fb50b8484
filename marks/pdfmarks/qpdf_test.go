package pdfmarks

import (
	"encoding/base64"
	"encoding/json"
	"os/exec"
	"testing"

	"github.com/omsd/omsd/marks/markread"
)

// qpdfStream is a stream object as qpdf's JSON shows it.
type qpdfStream struct {
	Dict map[string]any `json:"dict"`
	Data string         `json:"data"` // base64
}

// qpdfPages reads a PDF with qpdf: the content stream objects of every
// page, in order, and every stream object, with its data decoded when
// decode is set, else as stored.
func qpdfPages(t *testing.T, path string, decode bool) ([][]string, map[string]qpdfStream) {
	t.Helper()
	bin, err := markread.LookTool("qpdf", "qpdf")
	if err != nil {
		t.Fatal(err)
	}
	level := "none"
	if decode {
		level = "generalized"
	}
	out, err := exec.Command(bin, "--json=2", "--json-key=pages", "--json-key=qpdf", "--json-stream-data=inline",
		"--decode-level="+level, path).Output()
	if err != nil {
		t.Fatalf("qpdf --json %s: %v", path, err)
	}
	var j struct {
		Pages []struct {
			Contents []string `json:"contents"`
		} `json:"pages"`
		QPDF []map[string]json.RawMessage `json:"qpdf"`
	}
	if err := json.Unmarshal(out, &j); err != nil || len(j.QPDF) < 2 {
		t.Fatalf("qpdf --json %s: %v", path, err)
	}
	pages := make([][]string, len(j.Pages))
	for i, p := range j.Pages {
		pages[i] = p.Contents
	}
	streams := map[string]qpdfStream{}
	for key, raw := range j.QPDF[1] {
		var o struct {
			Stream *qpdfStream `json:"stream"`
		}
		if json.Unmarshal(raw, &o) == nil && o.Stream != nil {
			streams[key[len("obj:"):]] = *o.Stream
		}
	}
	return pages, streams
}

// streamData is a stream's data, base64-decoded.
func streamData(t *testing.T, s qpdfStream) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s.Data)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
