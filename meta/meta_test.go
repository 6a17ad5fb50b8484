package meta

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
)

func TestBuilderPieces(t *testing.T) {
	b := NewBuilder()
	b.Set("zip", "10115")
	b.Set("name", "Ann")
	b.Set("zip", "10117") // replaces
	b.SetDefault("name", "Bob")
	b.SetDefault("city", "Berlin")
	first := b.End()
	none := b.End()
	b.Set("zip", "20095")
	second := b.End()
	b.Set("dropped", "x")
	b.Drop()
	b.Set("name", "Cem")
	third := b.End()
	for _, kv := range [][2]string{{"a", "1"}, {"b", "22"}, {"c", "333"}, {"b", "4444"}, {"a", "55555"}, {"d", "6"}, {"c", "7"}} {
		b.Set(kv[0], kv[1])
	}
	fourth := b.End()

	check := func(m Fields, want map[string]string) {
		t.Helper()
		if m.Len() != len(want) {
			t.Errorf("%v: %d fields, want %d", m, m.Len(), len(want))
		}
		for k, v := range want {
			if got, ok := m.Lookup(k); !ok || got != v {
				t.Errorf("%v: %s = %q %v, want %q", m, k, got, ok, v)
			}
		}
		if !m.Equal(FromMap(want)) {
			t.Errorf("%v is not equal to %v", m, want)
		}
	}
	check(first, map[string]string{"zip": "10117", "name": "Ann", "city": "Berlin"})
	check(none, map[string]string{})
	check(second, map[string]string{"zip": "20095"})
	check(third, map[string]string{"name": "Cem"})
	check(fourth, map[string]string{"a": "55555", "b": "4444", "c": "7", "d": "6"})
	if !none.IsZero() || none != (Fields{}) {
		t.Errorf("an empty piece is %#v, want the zero Fields", none)
	}
	if _, ok := third.Lookup("dropped"); ok || first.t != third.t {
		t.Errorf("dropped field kept, or pieces in different tables")
	}
	if got := first.Map(); len(got) != 3 || got["city"] != "Berlin" {
		t.Errorf("Map = %v", got)
	}
	if (Fields{}).Map() != nil {
		t.Errorf("the zero Fields' map is not nil")
	}
}

// TestBuilderFullTable fills tables of a small limit: pieces move on to a
// new table, the piece being built takes its fields along, and every
// piece keeps its values.
func TestBuilderGrow(t *testing.T) {
	b := NewBuilder()
	b.Grow(1000, 5000)
	arena := &b.t.arena[:1][0]
	for i := range 1000 {
		b.Set("n", fmt.Sprintf("%05d", i))
		if m := b.End(); m.Get("n") != fmt.Sprintf("%05d", i) {
			t.Fatalf("piece %d: %v", i, m)
		}
	}
	if &b.t.arena[0] != arena {
		t.Error("the arena grew again after Grow made room for it")
	}
}

func TestBuilderFullTable(t *testing.T) {
	defer func(l uint64) { limit = l }(limit)
	limit = 20
	b := NewBuilder()
	var pieces []Fields
	for i := range 30 {
		b.Set("a", fmt.Sprint("v", i))
		b.Set("b", fmt.Sprint("w", i))
		pieces = append(pieces, b.End())
	}
	tables := map[*Table]bool{}
	for i, m := range pieces {
		tables[m.t] = true
		if m.Get("a") != fmt.Sprint("v", i) || m.Get("b") != fmt.Sprint("w", i) || m.Len() != 2 {
			t.Errorf("piece %d: %v", i, m)
		}
	}
	if len(tables) < 2 {
		t.Errorf("%d tables; a full table should have started a new one", len(tables))
	}
}

// TestJSONAsMap checks that fields encode exactly as the map of the same
// fields, with and without HTML escaping, in a struct with omitzero as
// the map with omitempty, and decode back.
func TestJSONAsMap(t *testing.T) {
	for _, m := range []map[string]string{
		nil,
		{"zip": "10115", "name": "Ann <a&b>", "": "empty name", "é": "\u2028\x00\xff", "a": ""},
		{"one": "1"},
	} {
		type asMap struct {
			Seq  int               `json:"seq"`
			Meta map[string]string `json:"meta,omitempty"`
		}
		type asFields struct {
			Seq  int    `json:"seq"`
			Meta Fields `json:"meta,omitzero"`
		}
		for _, escape := range []bool{true, false} {
			want, got := encode(t, asMap{1, m}, escape), encode(t, asFields{1, FromMap(m)}, escape)
			if !bytes.Equal(got, want) {
				t.Errorf("escape %v:\n got %s\nwant %s", escape, got, want)
			}
		}
		var back asFields
		if err := json.Unmarshal(encode(t, asMap{1, m}, true), &back); err != nil {
			t.Fatal(err)
		}
		var again asMap
		json.Unmarshal(encode(t, asMap{1, m}, true), &again)
		if !back.Meta.Equal(FromMap(again.Meta)) {
			t.Errorf("decoded %v, want %v", back.Meta, again.Meta)
		}
	}
	var bad Fields
	if err := json.Unmarshal([]byte(`{"a":1}`), &bad); err == nil {
		t.Errorf("a number decoded as a field value")
	}
}

func encode(t *testing.T, v any, escapeHTML bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(escapeHTML)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestBuilderAddJSON(t *testing.T) {
	b := NewBuilder()
	m, err := b.AddJSON([]byte(`{"b":"2","a":"1","a":"3"}`))
	if err != nil || m.Get("a") != "3" || m.Get("b") != "2" || m.Len() != 2 {
		t.Errorf("AddJSON = %v, %v", m, err)
	}
	if m, err := b.AddJSON([]byte(`null`)); err != nil || !m.IsZero() {
		t.Errorf("AddJSON(null) = %v, %v", m, err)
	}
	if _, err := b.AddJSON([]byte(`[1]`)); err == nil {
		t.Errorf("AddJSON of an array: no error")
	}
}

// TestBuilderManyNames crosses the point where a table indexes its names
// by a map.
func TestBuilderManyNames(t *testing.T) {
	b := NewBuilder()
	var pieces []Fields
	for i := range 40 {
		b.Set(fmt.Sprint("f", i%20), fmt.Sprint(i))
		b.Set(fmt.Sprint("g", i), "x")
		pieces = append(pieces, b.End())
	}
	for i, m := range pieces {
		if m.Get(fmt.Sprint("f", i%20)) != fmt.Sprint(i) || m.Get(fmt.Sprint("g", i)) != "x" || m.Len() != 2 {
			t.Errorf("piece %d: %v", i, m)
		}
	}
	if n := len(pieces[0].t.names); n != 60 {
		t.Errorf("%d names, want 60", n)
	}
}
