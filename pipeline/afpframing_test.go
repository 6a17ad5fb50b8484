package pipeline

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/omsd/omsd/afp"
	"github.com/omsd/omsd/internal/afptest"
	"github.com/omsd/omsd/marks/markread"
)

// frameOf is what a spool or transfer puts around each field of a run.
type frameOf struct {
	rdw    bool   // a record descriptor counting itself before each field
	end    []byte // bytes after each field
	record int    // NULs after each field up to this record length
}

// lead is what goes before a field of size bytes, trail what after it.
func (fr frameOf) lead(size int) []byte {
	if !fr.rdw {
		return nil
	}
	return []byte{byte((size + 4) >> 8), byte(size + 4), 0, 0}
}

func (fr frameOf) trail(size int) []byte {
	if fr.record == 0 {
		return fr.end
	}
	return make([]byte, fr.record-len(fr.lead(size))-size)
}

// walkFraming reads an AFP file field by field, fails on any field not
// framed as fr says, and returns the fields without their framing.
func walkFraming(t *testing.T, b []byte, fr frameOf) []afp.Field {
	t.Helper()
	r := afp.NewReader(bytes.NewReader(b))
	var fields []afp.Field
	var end []byte // what must follow the field before
	for {
		f, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if want := append(append([]byte(nil), end...), fr.lead(f.Size())...); !bytes.Equal(f.Pre, want) {
			t.Fatalf("field %d (%s at offset %d) has % X before it, want % X", len(fields)+1, f.Name(), f.Offset, f.Pre, want)
		}
		end = fr.trail(f.Size())
		fields = append(fields, afp.Field{ID: f.ID, Flags: f.Flags, Data: f.Data})
	}
	if n := len(fields); n == 0 || !bytes.HasSuffix(b, end) {
		t.Fatalf("%d fields; the file does not end with % X", n, end)
	}
	return fields
}

// prepareAFP writes a run framed as fr and prepares it, with the marks of
// marksYAML or none, returning the output's bytes.
func prepareAFP(t *testing.T, fr frameOf, marksYAML string) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "run.afp")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	opt := afptest.Options{Pages: 160, Seed: 15, TextBytes: 600, RecordPrefix: fr.rdw, FieldEnd: fr.end, RecordLength: fr.record}
	if _, err := afptest.Write(f, opt); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	in, _ := os.ReadFile(path)
	walkFraming(t, in, fr) // the generator frames as told
	wf := afpWorkflow()
	if marksYAML != "" {
		wf.Marks = markedWorkflow(t, marksYAML).Marks
	}
	r, err := Prepare(wf, path, "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.ReadFile(r.Outputs[0].Path)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestAFPMarksKeepFraming prepares sorted AFP runs whose fields carry
// record descriptors, CR LF or NULs filling fixed-length records, with OMR
// marks and without: every field of
// the output, those omsd adds included (mark objects, IMMs), has the
// input's framing; apart from it the output is the one of the same run
// unframed, and the marks read back the same.
func TestAFPMarksKeepFraming(t *testing.T) {
	const profile = "{profile: pb-omr, sides: front}"
	bare := map[string][]afp.Field{}
	bareBytes := map[string][]byte{}
	for _, m := range []string{"", profile} {
		bareBytes[m] = prepareAFP(t, frameOf{}, m)
		bare[m] = walkFraming(t, bareBytes[m], frameOf{})
	}
	paperH := 297 / 25.4 * 72
	bareRules, err := markread.AFPPageRules(bareBytes[profile], paperH)
	if err != nil {
		t.Fatal(err)
	}
	marked := 0
	for _, r := range bareRules {
		if len(r) > 0 {
			marked++
		}
	}
	if marked == 0 {
		t.Fatal("no page of the marked output has marks")
	}
	framings := map[string]frameOf{"rdw": {rdw: true}, "crlf": {end: []byte("\r\n")}, "rdw+lf": {rdw: true, end: []byte("\n")},
		"fixed records": {record: 1024}, "rdw+fixed records": {rdw: true, record: 1500}}
	for name, fr := range framings {
		t.Run(name, func(t *testing.T) {
			for _, m := range []string{"", profile} {
				out := prepareAFP(t, fr, m)
				fields := walkFraming(t, out, fr)
				if !reflect.DeepEqual(fields, bare[m]) {
					t.Fatalf("marks %q: the output's fields differ from those of the unframed run's output", m)
				}
				if m == "" {
					continue
				}
				rules, err := markread.AFPPageRules(out, paperH)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(rules, bareRules) {
					t.Fatal("the marks read back differ from those of the unframed run")
				}
			}
		})
	}
}
