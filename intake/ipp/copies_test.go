package ipp

import (
	"testing"

	"github.com/OpenPrinting/goipp"
)

// withJobAttrs re-encodes an encoded request (no document yet) with job
// template attributes.
func withJobAttrs(t *testing.T, req []byte, attrs ...goipp.Attribute) []byte {
	t.Helper()
	var m goipp.Message
	if err := m.DecodeBytes(req); err != nil {
		t.Fatal(err)
	}
	m.Groups = nil // encode the named groups, with the job's
	for _, a := range attrs {
		m.Job.Add(a)
	}
	b, err := m.EncodeBytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func copiesAttr(n int) goipp.Attribute {
	return goipp.MakeAttribute("copies", goipp.TagInteger, goipp.Integer(n))
}

func TestCopiesGoWithTheJob(t *testing.T) {
	b := &fakeBackend{}
	srv := testServer(t, b)
	m := post(t, srv, "default", append(withJobAttrs(t, encodeRequest(t, srv, goipp.OpPrintJob, "default"), copiesAttr(3)), pdf...))
	if goipp.Status(m.Code) != goipp.StatusOk || b.jobs[0].Copies != 3 {
		t.Fatalf("Print-Job with copies 3: %v, job copies %d", goipp.Status(m.Code), b.jobs[0].Copies)
	}
	id := jobID(t, post(t, srv, "default", withJobAttrs(t, encodeRequest(t, srv, goipp.OpCreateJob, "default"), copiesAttr(2))))
	m = post(t, srv, "default", append(encodeRequest(t, srv, goipp.OpSendDocument, "default",
		goipp.MakeAttribute("job-id", goipp.TagInteger, goipp.Integer(id)),
		goipp.MakeAttribute("last-document", goipp.TagBoolean, goipp.Boolean(true))), pdf...))
	if goipp.Status(m.Code) != goipp.StatusOk || b.jobs[1].Copies != 2 {
		t.Fatalf("Create-Job with copies 2, Send-Document: %v, job copies %d", goipp.Status(m.Code), b.jobs[1].Copies)
	}
	m = post(t, srv, "default", encodeRequest(t, srv, goipp.OpGetJobAttributes, "default",
		goipp.MakeAttribute("job-id", goipp.TagInteger, goipp.Integer(1))))
	if got := attrInt(m, "copies"); got != 3 {
		t.Errorf("Get-Job-Attributes copies = %d, want 3", got)
	}
	if got := attrRange(post(t, srv, "default", encodeRequest(t, srv, goipp.OpGetPrinterAttributes, "default")), "copies-supported"); got.Upper != MaxCopies || got.Lower != 1 {
		t.Errorf("copies-supported = %v, want 1-%d", got, MaxCopies)
	}
}

func TestCopiesOutOfRangeAreRefused(t *testing.T) {
	for _, n := range []int{0, -1, MaxCopies + 1} {
		b := &fakeBackend{}
		srv := testServer(t, b)
		for _, op := range []goipp.Op{goipp.OpPrintJob, goipp.OpValidateJob, goipp.OpCreateJob} {
			req := withJobAttrs(t, encodeRequest(t, srv, op, "default"), copiesAttr(n))
			if op == goipp.OpPrintJob {
				req = append(req, pdf...)
			}
			if m := post(t, srv, "default", req); goipp.Status(m.Code) != goipp.StatusErrorAttributesOrValues {
				t.Errorf("%v with copies %d: %v, want client-error-attributes-or-values-not-supported", op, n, goipp.Status(m.Code))
			}
		}
		if len(b.jobs) != 0 {
			t.Errorf("copies %d made jobs %+v", n, b.jobs)
		}
	}
}

func TestSidesAreTheWorkflows(t *testing.T) {
	srv := testServer(t, &fakeBackend{})
	if got := attrString(post(t, srv, "default", encodeRequest(t, srv, goipp.OpGetPrinterAttributes, "default")), "sides-supported"); got != "one-sided" {
		t.Errorf("sides-supported = %q for a simplex workflow", got)
	}
	two := goipp.MakeAttribute("sides", goipp.TagKeyword, goipp.String("two-sided-long-edge"))
	fidelity := goipp.MakeAttribute("ipp-attribute-fidelity", goipp.TagBoolean, goipp.Boolean(true))
	if m := post(t, srv, "default", withJobAttrs(t, encodeRequest(t, srv, goipp.OpValidateJob, "default", fidelity), two)); goipp.Status(m.Code) != goipp.StatusErrorAttributesOrValues {
		t.Errorf("two-sided with fidelity on a simplex queue: %v", goipp.Status(m.Code))
	}
	if m := post(t, srv, "default", withJobAttrs(t, encodeRequest(t, srv, goipp.OpValidateJob, "default"), two)); goipp.Status(m.Code) != goipp.StatusOk {
		t.Errorf("two-sided without fidelity: %v, want ok (the workflow decides)", goipp.Status(m.Code))
	}
}

func findAttr(m *goipp.Message, name string) *goipp.Attribute {
	for _, g := range m.Groups {
		for i := range g.Attrs {
			if g.Attrs[i].Name == name && len(g.Attrs[i].Values) > 0 {
				return &g.Attrs[i]
			}
		}
	}
	return nil
}

func attrInt(m *goipp.Message, name string) int {
	if a := findAttr(m, name); a != nil {
		if n, ok := a.Values[0].V.(goipp.Integer); ok {
			return int(n)
		}
	}
	return 0
}

func attrRange(m *goipp.Message, name string) goipp.Range {
	if a := findAttr(m, name); a != nil {
		if r, ok := a.Values[0].V.(goipp.Range); ok {
			return r
		}
	}
	return goipp.Range{}
}

func attrString(m *goipp.Message, name string) string {
	if a := findAttr(m, name); a != nil {
		return a.Values[0].V.String()
	}
	return ""
}
