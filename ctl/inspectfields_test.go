package ctl

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/internal/afptest"
	"github.com/omsd/omsd/pipeline"
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

// TestInspectAFPMatchesPipeline checks that inspect's own AFP path reports
// what the pipeline finds: the same pieces, sheets and renamed metadata.
func TestInspectAFPMatchesPipeline(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "run.afp")
	var run bytes.Buffer
	if _, err := afptest.Write(&run, afptest.Options{Pages: 60, Seed: 4, TextBytes: 10}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, run.Bytes(), 0o644)
	wf := config.Workflow{Format: "afp", AFP: config.AFP{Fields: map[string]string{"POSTCODE": "zip"}}}
	want, err := pipeline.Inspect(path, wf, "")
	if err != nil {
		t.Fatal(err)
	}
	in, err := inspectAFP(path, wf)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := in.writeJSON(&out); err != nil {
		t.Fatal(err)
	}
	var got inspectionJSON
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v:\n%s", err, out.String())
	}
	wantJSON := inspection(want)
	wantJSON.Format = "afp"
	a, _ := json.Marshal(got)
	b, _ := json.Marshal(wantJSON)
	if !bytes.Equal(a, b) {
		t.Errorf("inspect's AFP path:\n%s\npipeline:\n%s", a, b)
	}
	if !strings.Contains(out.String(), `"zip":"`) {
		t.Errorf("afp.fields not applied:\n%s", out.String())
	}

	out.Reset()
	if err := in.printText(&out, 5); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), fmt.Sprintf("and %d more pieces", len(want.Pieces)-5)) {
		t.Errorf("table of 5 pieces:\n%s", out.String())
	}
}

func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", `q"b\s`, "<a>&", "tab\tnl\ncr\r\x00\x01\x1f\b\f", "Öztürk", "bad\xffutf8\xc3", "ls\u2028ps\u2029"} {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	}
}
