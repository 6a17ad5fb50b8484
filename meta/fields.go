package meta

import (
	"iter"
	"slices"
)

// Fields is one piece's metadata: a run of a Table's fields. Names are
// unique within it. The zero Fields is empty. Fields is a small value;
// copies share the table.
type Fields struct {
	t      *Table
	lo, hi uint32 // the fields t.fields[lo:hi]
}

// Len is the number of fields.
func (m Fields) Len() int { return int(m.hi - m.lo) }

// IsZero reports whether there are no fields (JSON omitzero leaves them
// out, as omitempty leaves out an empty map).
func (m Fields) IsZero() bool { return m.hi == m.lo }

// Lookup returns the value of the field name and whether there is one.
func (m Fields) Lookup(name string) (string, bool) {
	for i := m.lo; i < m.hi; i++ {
		if m.t.names[m.t.fields[i].name] == name {
			return m.t.str(int(i)), true
		}
	}
	return "", false
}

// Get returns the value of the field name, "" when there is none.
func (m Fields) Get(name string) string {
	v, _ := m.Lookup(name)
	return v
}

// All yields the fields, name and value, in the order they were added.
func (m Fields) All() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for i := m.lo; i < m.hi; i++ {
			if !yield(m.t.names[m.t.fields[i].name], m.t.str(int(i))) {
				return
			}
		}
	}
}

// Names returns the field names in ascending order.
func (m Fields) Names() []string {
	names := make([]string, 0, m.Len())
	for i := m.lo; i < m.hi; i++ {
		names = append(names, m.t.names[m.t.fields[i].name])
	}
	slices.Sort(names)
	return names
}

// Map returns the fields as a new map, nil when there are none: for the
// edges that render a map (API types, templates).
func (m Fields) Map() map[string]string {
	if m.IsZero() {
		return nil
	}
	out := make(map[string]string, m.Len())
	for k, v := range m.All() {
		out[k] = v
	}
	return out
}

// Equal reports whether m and o hold the same names with the same values.
func (m Fields) Equal(o Fields) bool {
	if m.Len() != o.Len() {
		return false
	}
	for k, v := range m.All() {
		if w, ok := o.Lookup(k); !ok || w != v {
			return false
		}
	}
	return true
}

// String formats the fields as a map prints, names in order.
func (m Fields) String() string {
	b := []byte("map[")
	for i, k := range m.Names() {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, k...)
		b = append(b, ':')
		b = append(b, m.Get(k)...)
	}
	return string(append(b, ']'))
}

// Of returns the fields of name, value pairs; a later value of a name
// replaces an earlier one. An odd last name gets the value "".
func Of(kv ...string) Fields {
	b := NewBuilder()
	for i := 0; i < len(kv); i += 2 {
		v := ""
		if i+1 < len(kv) {
			v = kv[i+1]
		}
		b.Set(kv[i], v)
	}
	return b.End()
}

// FromMap returns the fields of m, in name order.
func FromMap(m map[string]string) Fields {
	b := NewBuilder()
	b.SetMap(m)
	return b.End()
}

// With returns m with the field name set to v, in a table of its own; m
// is unchanged. For one piece now and then: a Builder makes many.
func (m Fields) With(name, v string) Fields {
	b := NewBuilder()
	b.SetAll(m)
	b.Set(name, v)
	return b.End()
}
