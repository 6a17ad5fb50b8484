package pdf

// The object model: what the parser returns and the writer writes. An
// object is one of
//
//	nil      null
//	bool     boolean
//	int64    integer
//	real     real number, kept as written
//	name     name, without the slash, #xx escapes decoded
//	str      string, escapes decoded: the string's bytes
//	array    array
//	dict     dictionary
//	ref      indirect reference
//	*stream  stream: its dictionary and its raw (still encoded) data
type object = any

type (
	real  string
	name  string
	str   string
	array []object
	ref   struct{ num, gen int }
	// hexString is a string written in hex (<...>): binary values of
	// this package's own (encryption entries, encrypted strings).
	hexString []byte
)

// dict is a dictionary: its entries in the order written. A key written
// twice counts with its last value.
type dict []pair

type pair struct {
	key name
	val object
}

// get returns the value of key, or nil.
func (d dict) get(key name) object {
	for i := len(d) - 1; i >= 0; i-- {
		if d[i].key == key {
			return d[i].val
		}
	}
	return nil
}

// has reports whether key is present (even with a null value).
func (d dict) has(key name) bool {
	for i := len(d) - 1; i >= 0; i-- {
		if d[i].key == key {
			return true
		}
	}
	return false
}

// nameOf returns the value of key if it is a name.
func (d dict) nameOf(key name) (name, bool) {
	n, ok := d.get(key).(name)
	return n, ok
}

// with returns a copy of d with key set to val (appended, or replacing the
// key's entries).
func (d dict) with(key name, val object) dict {
	out := make(dict, 0, len(d)+1)
	for _, p := range d {
		if p.key != key {
			out = append(out, p)
		}
	}
	return append(out, pair{key, val})
}

// stream is a stream object: its dictionary and its data as stored in the
// file, still encoded.
type stream struct {
	dict dict
	data []byte
	// pos is where data starts in the input file, or 0 for a stream this
	// package made (a file's data never starts at 0).
	pos int64
}
