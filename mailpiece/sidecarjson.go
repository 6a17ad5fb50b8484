package mailpiece

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// jsonDecoder reads the JSON form token by token. Syntax errors end the
// reading at once; the first error in a piece's fields is kept while the
// rest is still read for syntax errors, which take precedence, as the
// builder keeps the first inconsistency for after both.
type jsonDecoder struct {
	dec   *json.Decoder
	b     *builder
	err   error // the first error in a piece's fields
	found bool  // a "pieces" array was read
}

// decodeJSON reads {"pieces": [...]} or a bare array into b.
func decodeJSON(r io.Reader, b *builder) error {
	d := &jsonDecoder{dec: json.NewDecoder(r), b: b}
	d.dec.UseNumber() // numbers as written
	tok, err := d.next()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('['):
		d.found = true
		err = d.pieces()
	case json.Delim('{'):
		err = d.document()
	default:
		return fmt.Errorf("%w: want an object with a \"pieces\" array, or an array of pieces", ErrSidecar)
	}
	if err != nil {
		return err
	}
	if _, err := d.dec.Token(); !errors.Is(err, io.EOF) {
		if err == nil {
			return fmt.Errorf("%w: more data after the index", ErrSidecar)
		}
		return fmt.Errorf("%w: %v", ErrSidecar, err)
	}
	if d.err != nil {
		return d.err
	}
	if !d.found {
		return fmt.Errorf("%w: no \"pieces\" array", ErrSidecar)
	}
	return nil
}

// next reads a token; the end of the input is an error.
func (d *jsonDecoder) next() (json.Token, error) {
	tok, err := d.dec.Token()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: unexpected end of JSON input", ErrSidecar)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSidecar, err)
	}
	return tok, nil
}

// key reads an object member's name.
func (d *jsonDecoder) key() (string, error) {
	tok, err := d.next()
	if err != nil {
		return "", err
	}
	k, _ := tok.(string) // the decoder allows only strings here
	return k, nil
}

// document reads the members of the top-level object. Like encoding/json,
// it matches "pieces" ignoring case, and the last one counts.
func (d *jsonDecoder) document() error {
	for d.dec.More() {
		k, err := d.key()
		if err != nil {
			return err
		}
		if !strings.EqualFold(k, "pieces") {
			if err := d.skip(); err != nil {
				return err
			}
			continue
		}
		tok, err := d.next()
		if err != nil {
			return err
		}
		*d.b, d.err, d.found = *newBuilder(d.b.pageCount, d.b.duplex), nil, false
		switch tok {
		case json.Delim('['):
			d.found = true
			err = d.pieces()
		case nil:
		default:
			err = fmt.Errorf("%w: \"pieces\" is not an array", ErrSidecar)
		}
		if err != nil {
			return err
		}
	}
	_, err := d.next() // }
	return err
}

// pieces reads the elements of the pieces array.
func (d *jsonDecoder) pieces() error {
	for n := 1; d.dec.More(); n++ {
		if err := d.piece(place{"piece", n}); err != nil {
			return err
		}
	}
	_, err := d.next() // ]
	return err
}

// piece reads one element of the pieces array.
func (d *jsonDecoder) piece(where place) error {
	tok, err := d.next()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		return d.fields(where)
	case nil:
		d.fail(where, "null instead of a piece")
		return nil
	}
	d.fail(where, "want a piece object, got %s", describe(tok))
	return d.skipOpen(tok)
}

// fields reads the members of a piece object, after its {.
func (d *jsonDecoder) fields(where place) error {
	s, hasFirst := span{where: where}, false
	for d.dec.More() {
		k, err := d.key()
		if err != nil {
			return err
		}
		switch k {
		case "first_page":
			hasFirst = true
			s.first, err = d.int(where, k)
		case "pages":
			s.hasPages = true
			s.pages, err = d.int(where, k)
		case "last_page":
			s.hasLast = true
			s.last, err = d.int(where, k)
		case "meta":
			err = d.meta(where)
		default:
			d.fail(where, "unknown field %q", k)
			err = d.skip()
		}
		if err != nil {
			return err
		}
	}
	if _, err := d.next(); err != nil { // }
		return err
	}
	switch {
	case !hasFirst:
		d.fail(where, "no first_page")
	case !s.hasPages && !s.hasLast:
		d.fail(where, "neither pages nor last_page")
	}
	if d.err == nil {
		d.b.add(s)
	}
	return nil
}

// int reads a page number or count. null counts as 0, as encoding/json
// leaves an int alone for it.
func (d *jsonDecoder) int(where place, name string) (int, error) {
	tok, err := d.next()
	if err != nil {
		return 0, err
	}
	switch v := tok.(type) {
	case nil:
		return 0, nil
	case json.Number:
		n, err := strconv.Atoi(string(v))
		if err != nil {
			d.fail(where, "%s: want a whole number, got %s", name, v)
		}
		return n, nil
	}
	d.fail(where, "%s: want a whole number, got %s", name, describe(tok))
	return 0, d.skipOpen(tok)
}

// meta reads a piece's meta object into the builder's pending fields.
func (d *jsonDecoder) meta(where place) error {
	tok, err := d.next()
	if err != nil || tok == nil {
		return err
	}
	if tok != json.Delim('{') {
		d.fail(where, "meta: want an object of fields, got %s", describe(tok))
		return d.skipOpen(tok)
	}
	d.b.pieces.dropPending() // the last meta member counts, as with encoding/json
	for d.dec.More() {
		k, err := d.key()
		if err != nil {
			return err
		}
		if tok, err = d.next(); err != nil {
			return err
		}
		var v string
		switch t := tok.(type) {
		case string:
			v = t
		case json.Number:
			v = string(t)
		case bool:
			v = strconv.FormatBool(t)
		case nil:
		default:
			d.fail(where, "meta: field %q: want a string, number or boolean, got %s", k, describe(tok))
			if err := d.skipOpen(tok); err != nil {
				return err
			}
		}
		if d.err == nil && d.b.err == nil {
			d.b.pieces.field(k, v)
		}
	}
	_, err = d.next() // }
	return err
}

// fail keeps the first error in a piece's fields.
func (d *jsonDecoder) fail(where place, format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%s: %w: %s", where, ErrSidecar, fmt.Sprintf(format, args...))
	}
}

// skip reads a value and ignores it.
func (d *jsonDecoder) skip() error {
	tok, err := d.next()
	if err != nil {
		return err
	}
	return d.skipOpen(tok)
}

// skipOpen reads the rest of an object or array whose opening token is tok,
// and ignores it. Any other token is a whole value: nothing to read.
func (d *jsonDecoder) skipOpen(tok json.Token) error {
	depth := 0
	for {
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
		var err error
		if tok, err = d.next(); err != nil {
			return err
		}
	}
}

// describe names a token in an error.
func describe(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return "an object"
		}
		return "an array"
	case string:
		return strconv.Quote(t)
	}
	return fmt.Sprint(tok)
}
