package meta

import (
	"bytes"
	"cmp"
	"encoding/json"
	"slices"
)

// MarshalJSON encodes the fields as the JSON object of a map of the same
// fields: names in ascending order, strings as encoding/json writes them
// (the encoder that calls it escapes HTML as it is set to).
func (m Fields) MarshalJSON() ([]byte, error) {
	if m.t == nil {
		return []byte("{}"), nil
	}
	order := make([]int, 0, m.Len())
	for i := m.lo; i < m.hi; i++ {
		order = append(order, int(i))
	}
	name := func(i int) string { return m.t.names[m.t.fields[i].name] }
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(name(a), name(b)) })
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	buf.WriteByte('{')
	for k, i := range order {
		if k > 0 {
			buf.WriteByte(',')
		}
		if err := encodeString(&buf, enc, name(i)); err != nil {
			return nil, err
		}
		buf.WriteByte(':')
		if err := encodeString(&buf, enc, m.t.str(i)); err != nil {
			return nil, err
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// encodeString writes s as a JSON string, without the encoder's newline.
func encodeString(buf *bytes.Buffer, enc *json.Encoder, s string) error {
	if err := enc.Encode(s); err != nil {
		return err
	}
	buf.Truncate(buf.Len() - 1)
	return nil
}

// UnmarshalJSON decodes a JSON object of strings (or null) into fields of
// their own table, names in order.
func (m *Fields) UnmarshalJSON(data []byte) error {
	var mm map[string]string
	if err := json.Unmarshal(data, &mm); err != nil {
		return err
	}
	*m = FromMap(mm)
	return nil
}

// AddJSON decodes a JSON object of strings (or null) as the fields of the
// next piece, in the builder's table.
func (b *Builder) AddJSON(data []byte) (Fields, error) {
	var mm map[string]string
	if err := json.Unmarshal(data, &mm); err != nil {
		return Fields{}, err
	}
	b.SetMap(mm)
	return b.End(), nil
}
