package records

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func mustBuiltin(t *testing.T, name string) *Layout {
	t.Helper()
	l, err := Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestBuiltinLayoutsParse(t *testing.T) {
	names := BuiltinNames()
	want := []string{"csv", "jaf", "jrf", "mrdf", "pb-output"}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("builtin layouts %v, want %v", names, want)
	}
	for _, n := range names {
		if _, err := Builtin(n); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
	if _, err := Builtin("nope"); !errors.Is(err, ErrLayout) {
		t.Errorf("unknown layout: %v", err)
	}
}

func TestFixedRoundTrip(t *testing.T) {
	l := mustBuiltin(t, "jaf")
	var buf bytes.Buffer
	w := NewWriter(&buf, l)
	if err := w.Write("header", map[string]string{"job": "7", "created": "2026-12-03 08:00:00", "output": "main"}); err != nil {
		t.Fatal(err)
	}
	vals := map[string]string{"job": "7", "id": "42", "sheets": "3", "letters": "2", "letter_ids": "42 43", "feeder_flags": "0100000000000000",
		"meta.name": "Erika Mustermann", "address1": "Hauptstr. 1", "postal_code": "04109", "divert": "0", "envelope_type": "C6/5", "generation": "1"}
	if err := w.Write("piece", vals); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 2 || len([]rune(lines[1])) != 884 {
		t.Fatalf("lines %d, body length %d", len(lines), len([]rune(lines[1])))
	}
	if got := lines[1][:21]; got != "B00000000070000000042" {
		t.Errorf("body starts %q", got)
	}
	r := NewReader(&buf, l)
	h, err := r.Read()
	if err != nil || h.Type != "header" || h.Fields["job"] != "7" || h.Line != 1 {
		t.Fatalf("header %+v, %v", h, err)
	}
	b, err := r.Read()
	if err != nil || b.Type != "piece" || b.Line != 2 {
		t.Fatalf("body %+v, %v", b, err)
	}
	for k, want := range map[string]string{"job": "7", "piece": "42", "prime_documents": "3", "letters": "2", "letter_ids": "42 43", "name": "Erika Mustermann", "postcode": "04109", "envelope": "C6/5"} {
		if b.Fields[k] != want {
			t.Errorf("field %s = %q, want %q", k, b.Fields[k], want)
		}
	}
	if _, err := r.Read(); err != io.EOF {
		t.Errorf("end: %v", err)
	}
}

func TestFixedOverflow(t *testing.T) {
	l := mustBuiltin(t, "jrf")
	w := NewWriter(io.Discard, l)
	err := w.Write("piece", map[string]string{"job": "12345678901", "piece": "1", "disposition": "40"})
	if err == nil || !strings.Contains(err.Error(), "field job") {
		t.Fatalf("overflow: %v", err)
	}
}

func TestReaderGoesOnAfterBadLines(t *testing.T) {
	l := mustBuiltin(t, "jrf")
	in := "H0000000007\n" +
		"B0000000007000000000140\n" + // good, minimal
		"B00000000070000000002\n" + // short: no disposition
		"X nonsense\n" +
		"\n" +
		"B0000000007000000000340" + strings.Repeat(" ", 20) + "junk beyond the record" + strings.Repeat("x", 60) + "\n" +
		"B0000000007000000000410" + "2026-12-03 08:01:02" + "ops             " + "line1\r\n" +
		strings.Repeat("B", MaxLineLength+10) + "\n" +
		"B0000000007000000000540\n"
	r := NewReader(strings.NewReader(in), l)
	var good []int
	var bad []int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		var le *LineError
		if errors.As(err, &le) {
			bad = append(bad, le.Line)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if rec.Type == "piece" {
			good = append(good, rec.Line)
		}
	}
	if got, want := good, []int{2, 7, 9}; !equal(got, want) {
		t.Errorf("good lines %v, want %v", got, want)
	}
	if got, want := bad, []int{3, 4, 6, 8}; !equal(got, want) {
		t.Errorf("bad lines %v, want %v", got, want)
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestResultOf(t *testing.T) {
	l := mustBuiltin(t, "jrf")
	in := "B0000000007000000001240" + "2026-12-03 08:01:02" + "anna            " + "L1\n" +
		"B0000000007000000001399\n" +
		"B000000000700000000xx40\n"
	r := NewReader(strings.NewReader(in), l)
	rec, _ := r.Read()
	res, ok, err := l.ResultOf(rec)
	if err != nil || !ok {
		t.Fatal(err)
	}
	want := Result{Line: 1, Job: 7, Seq: 12, Event: EventInserted, Code: "40", Time: time.Date(2026, 12, 3, 8, 1, 2, 0, time.UTC), Operator: "anna", Machine: "L1"}
	if res != want {
		t.Errorf("result %+v, want %+v", res, want)
	}
	for line := 2; line <= 3; line++ {
		rec, err := r.Read()
		if err == nil {
			_, _, err = l.ResultOf(rec)
		}
		var le *LineError
		if !errors.As(err, &le) || le.Line != line {
			t.Errorf("line %d: %v", line, err)
		}
	}
}

func TestCSV(t *testing.T) {
	l := mustBuiltin(t, "csv")
	var buf bytes.Buffer
	w := NewWriter(&buf, l)
	for _, r := range []Result{{Job: 3, Seq: 1, Event: EventInserted, Operator: "a,b"}, {Job: 3, Seq: 2, Event: EventDamaged}} {
		if err := w.Write("piece", l.ResultValues(r)); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	buf.WriteString("3,4\n3,5,inserted,,,\n3,6,eaten,,,\n")
	r := NewReader(&buf, l)
	var events []string
	var bad []int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err == nil {
			var res Result
			res, _, err = l.ResultOf(rec)
			events = append(events, res.Event)
		}
		var le *LineError
		if errors.As(err, &le) {
			bad = append(bad, le.Line)
		} else if err != nil {
			t.Fatal(err)
		}
	}
	if strings.Join(events, ",") != "inserted,damaged,inserted," {
		t.Errorf("events %v", events)
	}
	if !equal(bad, []int{4, 6}) {
		t.Errorf("bad lines %v", bad)
	}
}

func TestCSVHeaderMissingColumn(t *testing.T) {
	l := mustBuiltin(t, "csv")
	r := NewReader(strings.NewReader("job,disposition\n1,inserted\n"), l)
	_, err := r.Read()
	var le *LineError
	if errors.As(err, &le) || !errors.Is(err, ErrLine) || !strings.Contains(err.Error(), "line 1") {
		t.Fatalf("header: %v", err)
	}
	if _, err2 := r.Read(); err2 == nil || err2 == io.EOF {
		t.Errorf("after a bad header: %v", err2)
	}
}

func TestLayoutErrors(t *testing.T) {
	for name, y := range map[string]string{
		"unknown key":      "name: x\nkind: fixed\nbogus: 1\nrecords: [{type: p, fields: [{name: a, start: 1, length: 1}]}]",
		"bad kind":         "name: x\nkind: xml\nrecords: [{type: p, fields: [{name: a}]}]",
		"zero length":      "name: x\nrecords: [{type: p, fields: [{name: a, start: 1, length: 0}]}]",
		"two without tags": "name: x\nrecords: [{type: p, fields: [{name: a, start: 1, length: 1}]}, {type: q, fields: [{name: a, start: 1, length: 1}]}]",
		"bad disposition":  "name: x\ndispositions: {'1': eaten}\nrecords: [{type: p, fields: [{name: a, start: 1, length: 1}]}]",
		"bad template":     "name: x\nrecords: [{type: p, fields: [{name: a, start: 1, length: 1, value: '{a'}]}]",
		"huge field":       "name: x\nrecords: [{type: p, fields: [{name: a, start: 1, length: 99999999}]}]",
	} {
		if _, err := Parse([]byte(y)); !errors.Is(err, ErrLayout) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
