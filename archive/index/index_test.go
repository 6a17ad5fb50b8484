package index

import (
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Straße": "strasse", "STRASSE": "strasse", "Müller": "muller", "Zoë": "zoe", "Renée": "renee",
		"Øresund": "oresund", "Œuvre": "oeuvre", "Łódź": "lodz", "e\u0301cole": "ecole", "ẞ": "ss",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Words("Hans-Peter  Weiß, 12"); !slices.Equal(got, []string{"hans", "peter", "weiss", "12"}) {
		t.Errorf("Words = %q", got)
	}
}

func TestParseCond(t *testing.T) {
	for in, want := range map[string]Cond{
		"account=4711":      {Field: "account", Op: Equal, Value: "4711"},
		"account=47*":       {Field: "account", Op: Prefix, Value: "47"},
		"zip=20000..29999":  {Field: "zip", Op: Range, Value: "20000", To: "29999"},
		"text=Jörg Weiß":    {Field: "text", Op: Text, Value: "Jörg Weiß"},
		"name~weiss":        {Field: "text", Op: Text, Value: "weiss"},
		"date=2026-03-01..": {Field: "date", Op: Range, Value: "2026-03-01"},
		"note=a=b":          {Field: "note", Op: Equal, Value: "a=b"},
	} {
		got, err := ParseCond(in)
		if err != nil || got != want {
			t.Errorf("ParseCond(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"account", "=4711", ""} {
		if _, err := ParseCond(bad); err == nil {
			t.Errorf("ParseCond(%q) took it", bad)
		}
	}
}

// TestSearch: equal, prefix, range, text, dates, and removal, on values
// that share prefixes.
func TestSearch(t *testing.T) {
	x, err := Open(filepath.Join(t.TempDir(), "index.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	day := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	var recs []Record
	for i := 1; i <= 30; i++ {
		channel, recipient := "print", ""
		if i%5 == 0 {
			channel, recipient = "email", fmt.Sprintf("p%d@example.org", i)
		}
		recs = append(recs, Record{ID: fmt.Sprintf("1-%d-0", i), Job: 1, Seq: i, Workflow: "w", Sent: day.AddDate(0, 0, i%10),
			Channel: channel, Recipient: recipient, Generation: i % 3,
			Fields: map[string]string{"account": fmt.Sprintf("47%d", i), "zip": fmt.Sprintf("%05d", i*1000)},
			Text:   []string{[]string{"Jörg Weiß", "Anna Groß"}[i%2], "Hauptstraße 1"}})
	}
	if err := x.AddSegment("a", recs[:20], 1); err != nil {
		t.Fatal(err)
	}
	if err := x.AddSegment("b", recs[20:], 2); err != nil {
		t.Fatal(err)
	}
	ids := func(q Query) []string {
		rs, err := x.Search(q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	c := func(s string) Cond { c, _ := ParseCond(s); return c }
	cases := []struct {
		q    Query
		want []string
	}{
		{Query{Conds: []Cond{c("account=472")}}, []string{"1-2-0"}},
		{Query{Conds: []Cond{c("account=472*")}}, []string{"1-2-0", "1-20-0", "1-21-0", "1-22-0", "1-23-0", "1-24-0", "1-25-0", "1-26-0", "1-27-0", "1-28-0", "1-29-0"}},
		{Query{Conds: []Cond{c("zip=05000..07000")}}, []string{"1-5-0", "1-6-0", "1-7-0"}},
		{Query{Conds: []Cond{c("text=weiss"), c("zip=00000..04000")}}, []string{"1-2-0", "1-4-0"}},
		{Query{Conds: []Cond{c("text=gro hauptstr")}, Limit: 2}, []string{"1-1-0", "1-11-0"}},
		{Query{Conds: []Cond{c("piece=1-7-0")}}, []string{"1-7-0"}},
		{Query{From: day.AddDate(0, 0, 9), To: day.AddDate(0, 0, 10)}, []string{"1-19-0", "1-29-0", "1-9-0"}},
		{Query{Conds: []Cond{c("account=999")}}, nil},
		{Query{Conds: []Cond{c("channel=email")}}, []string{"1-10-0", "1-15-0", "1-20-0", "1-25-0", "1-30-0", "1-5-0"}},
		{Query{Conds: []Cond{c("recipient=p15@example.org")}}, []string{"1-15-0"}},
		{Query{Conds: []Cond{c("generation=2"), c("channel=email")}}, []string{"1-20-0", "1-5-0"}},
		{Query{Conds: []Cond{c("workflow=w"), c("sent=2026-03-04*")}}, []string{"1-13-0", "1-23-0", "1-3-0"}},
		{Query{Conds: []Cond{c("sent=2026-03-10..2026-03-11")}}, []string{"1-19-0", "1-29-0", "1-9-0"}},
	}
	for _, k := range cases {
		if got := ids(k.q); !slices.Equal(got, k.want) {
			t.Errorf("search %+v = %v, want %v", k.q, got, k.want)
		}
	}
	if err := x.RemoveSegment("a", 3); err != nil {
		t.Fatal(err)
	}
	if got := ids(Query{Conds: []Cond{c("text=hauptstrasse")}, Limit: 100}); len(got) != 10 {
		t.Errorf("after removing segment a, %d pieces found, want 10", len(got))
	}
	if n, _ := x.Applied(); n != 3 {
		t.Errorf("applied %d, want 3", n)
	}
}

// TestOpenEmptiesAnOldSchema: an index written with other keys is emptied
// when opened, so that the archive indexes its segments again.
func TestOpenEmptiesAnOldSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index.db")
	x, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := x.AddSegment("a", []Record{{ID: "1-1-0", Job: 1, Channel: "print"}}, 1); err != nil {
		t.Fatal(err)
	}
	x.db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bMeta).Put(kSchema, []byte("1")) })
	x.Close()
	if x, err = Open(path); err != nil {
		t.Fatal(err)
	}
	if n, _ := x.Applied(); n != 0 {
		t.Errorf("applied %d after opening an old schema, want 0", n)
	}
	if has, _ := x.Has([]string{"1-1-0"}); has["1-1-0"] {
		t.Error("the old schema's record is still there")
	}
	x.Close()
	if x, err = Open(path); err != nil {
		t.Fatal(err)
	}
	x.AddSegment("a", []Record{{ID: "1-1-0", Job: 1, Channel: "print"}}, 1)
	x.Close()
	if x, err = Open(path); err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if n, _ := x.Applied(); n != 1 {
		t.Errorf("applied %d after opening the current schema, want 1", n)
	}
}

// TestRecordCodec: a record reads back as written, a SHA-256 or not,
// and a cut or foreign record is an error, not a panic.
func TestRecordCodec(t *testing.T) {
	sent := time.Date(2026, 3, 1, 9, 0, 0, 123, time.UTC)
	for _, r := range []Record{
		{ID: "1-2-0", Job: 1, Seq: 2, Generation: 1, Envelope: 7, Name: "G1", Workflow: "w", Channel: "email", Printer: "p",
			Recipient: "a@b.example", Output: "main", Format: "pdf", Pages: 3, Sent: sent, Size: 4711,
			SHA256: "2eb8e09f7c028e4d775c7877270edef0d931208e7e1f79c565c6d096bf8746b3", Fields: map[string]string{"a": "1", "b": ""},
			Text: []string{"Jörg Weiß", ""}, RetainUntil: sent.AddDate(1000, 0, 0), Segment: "seg", Offset: 8, Length: -1},
		{ID: "x", SHA256: "not hex"},
		{ID: "y", SHA256: "2EB8E09F7C028E4D775C7877270EDEF0D931208E7E1F79C565C6D096BF8746B3"},
	} {
		b := encodeRecord(nil, r)
		got, err := decodeRecord(b)
		if err != nil || !reflect.DeepEqual(got, r) {
			t.Errorf("record %s read back as %+v, %v", r.ID, got, err)
		}
		for n := range len(b) {
			if _, err := decodeRecord(b[:n]); err == nil && n < len(b)-1 {
				t.Errorf("record %s cut to %d of %d bytes read without an error", r.ID, n, len(b))
			}
		}
	}
}
