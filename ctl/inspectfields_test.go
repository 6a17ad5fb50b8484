package ctl

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omsd/omsd/internal/afptest"
)

func TestInspectFields(t *testing.T) {
	dir := t.TempDir()
	var run bytes.Buffer
	if _, err := afptest.Write(&run, afptest.Options{Pages: 6, Seed: 2, TextBytes: 10}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "run.afp")
	os.WriteFile(path, run.Bytes(), 0o644)

	var out bytes.Buffer
	if err := Run(context.Background(), []string{"inspect", "--fields", path}, &out, &out); err != nil {
		t.Fatalf("inspect --fields: %v\n%s", err, out.String())
	}
	for _, want := range []string{"OFFSET  FIELD", "BNG    D3A8AD", `POSTCODE="`, `02 FQN`, `type=0B (attribute name) "POSTCODE"`, "IMM    D3ABCC", "EDT    D3A9A8"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("field dump lacks %q:\n%s", want, out.String())
		}
	}

	out.Reset()
	if err := Run(context.Background(), []string{"inspect", path, "--fields", "--json"}, &out, &out); err != nil {
		t.Fatal(err)
	}
	var doc fieldDumpJSON
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("%v:\n%s", err, out.String())
	}
	if doc.File != path || len(doc.Fields) < 50 || doc.Fields[0].Name != "BRG" || doc.Error != "" {
		t.Errorf("--json: file %q, %d fields, first %+v, error %q", doc.File, len(doc.Fields), doc.Fields[0], doc.Error)
	}

	// Cut short: what was read is printed, then the error with its offset.
	cut := filepath.Join(dir, "cut.afp")
	os.WriteFile(cut, run.Bytes()[:run.Len()/2], 0o644)
	out.Reset()
	err := Run(context.Background(), []string{"inspect", "--fields", "--json", cut}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "afp: offset ") {
		t.Fatalf("inspect --fields of a cut file: %v", err)
	}
	doc = fieldDumpJSON{}
	if jerr := json.Unmarshal(out.Bytes(), &doc); jerr != nil || len(doc.Fields) == 0 || !strings.Contains(doc.Error, "offset") {
		t.Errorf("--json of a cut file (%v): %d fields, error %q", jerr, len(doc.Fields), doc.Error)
	}

	pdf := filepath.Join(dir, "x.pdf")
	os.WriteFile(pdf, []byte("%PDF-1.7\n"), 0o644)
	if err := Run(context.Background(), []string{"inspect", "--fields", pdf}, &out, &out); err == nil || !strings.Contains(err.Error(), "not AFP") {
		t.Errorf("inspect --fields of a PDF: %v", err)
	}
}
