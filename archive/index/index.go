// Package index is the archive's search index: one record per archived
// piece, with composite keys for field search (equal, prefix, range),
// dates and folded text, in a bbolt file of its own. It is derived data:
// the archive rebuilds it from its segments whenever it is lost.
//
// Buckets:
//
//	pieces    ID -> Record (binary, codec.go)
//	keys      "f" 0 FIELD 0 VALUE 0 ID   field values
//	          "t" 0 WORD 0 ID            folded words of the name and address
//	          "s" 0 SENT 0 ID            time sent, RFC 3339 UTC, fixed width
//	segments  SEGMENT -> the IDs of its pieces (JSON)
//	meta      "applied" -> how many ledger entries the index holds
//	          "schema"  -> the layout of the keys and records (schema)
//
// An index of another schema is emptied when opened: applied drops to 0
// and the archive indexes its ledger's segments again.
package index

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"go.etcd.io/bbolt"
)

var (
	bPieces   = []byte("pieces")
	bKeys     = []byte("keys")
	bSegments = []byte("segments")
	bMeta     = []byte("meta")
	kApplied  = []byte("applied")
	kSchema   = []byte("schema")
)

// schema is the layout of the keys and records this package writes;
// raised whenever they change (2: channel, recipient, output and
// generation became built-in fields; 3: records in binary).
const schema = "3"

// ErrNotFound is returned for a piece the index does not hold.
var ErrNotFound = errors.New("index: no such piece")

// fill is how full bbolt packs pages split at commit: keys arrive mostly
// in ascending runs (IDs and times grow), so pages are packed fuller than
// bbolt's default of half.
const fill = 0.9

// sentLayout is the fixed-width time layout of the "s" keys.
const sentLayout = "2006-01-02T15:04:05.000000000Z"

// Index is an opened index file.
type Index struct {
	db      *bbolt.DB
	path    string
	dropped bool
}

// Open opens (creating) the index file at path. An index a system crash
// left with unsynced commits is opened empty (unsynced.go).
func Open(path string) (*Index, error) {
	dropped, err := dropIfCrashed(path)
	if err != nil {
		return nil, err
	}
	if err := markUnsynced(path); err != nil {
		return nil, err
	}
	// The free list is not written at each commit (it is rebuilt when the
	// file is opened): in a large index it is megabytes a commit.
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: 5 * time.Second, NoSync: true, NoFreelistSync: true, FreelistType: bbolt.FreelistMapType})
	if err != nil {
		return nil, fmt.Errorf("opening the archive index %s: %w", path, err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		if m := tx.Bucket(bMeta); m != nil && string(m.Get(kSchema)) != schema {
			for _, b := range [][]byte{bPieces, bKeys, bSegments, bMeta} {
				if err := tx.DeleteBucket(b); err != nil && !errors.Is(err, bbolt.ErrBucketNotFound) {
					return err
				}
			}
		}
		for _, b := range [][]byte{bPieces, bKeys, bSegments, bMeta} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return tx.Bucket(bMeta).Put(kSchema, []byte(schema))
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Index{db: db, path: path, dropped: dropped}, nil
}

// Dropped reports whether Open found the index left unsynced by a system
// crash and started it empty.
func (x *Index) Dropped() bool { return x.dropped }

// Close syncs and closes the file.
func (x *Index) Close() error {
	if err := x.db.Sync(); err != nil {
		x.db.Close()
		return fmt.Errorf("syncing the archive index: %w", err)
	}
	if err := x.db.Close(); err != nil {
		return err
	}
	return markSynced(x.path)
}

// Remove deletes the index file at path.
func Remove(path string) error {
	for _, p := range []string{path, markerPath(path)} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// Applied is how many ledger entries the index holds.
func (x *Index) Applied() (n uint64, err error) {
	err = x.db.View(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(bMeta).Get(kApplied); len(v) == 8 {
			n = binary.BigEndian.Uint64(v)
		}
		return nil
	})
	return n, err
}

// AddSegment indexes the records of one segment and sets the ledger
// entries applied to n, in one transaction. Keys are put in order: bbolt
// splits nodes only at commit, and keys put in random order into a node
// cost a copy of the node each.
func (x *Index) AddSegment(segment string, recs []Record, n uint64) error {
	type kv struct{ k, v []byte }
	pieces := make([]kv, len(recs))
	var keys [][]byte
	ids := make([]string, len(recs))
	for i, r := range recs {
		pieces[i] = kv{[]byte(r.ID), encodeRecord(nil, r)}
		keys = append(keys, keysOf(r)...)
		ids[i] = r.ID
	}
	slices.SortFunc(pieces, func(a, b kv) int { return bytes.Compare(a.k, b.k) })
	slices.SortFunc(keys, bytes.Compare)
	return x.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bPieces)
		b.FillPercent = fill
		for _, p := range pieces {
			if err := b.Put(p.k, p.v); err != nil {
				return err
			}
		}
		kb := tx.Bucket(bKeys)
		kb.FillPercent = fill
		for _, k := range keys {
			if err := kb.Put(k, nil); err != nil {
				return err
			}
		}
		v, _ := json.Marshal(ids)
		if err := tx.Bucket(bSegments).Put([]byte(segment), v); err != nil {
			return err
		}
		return setApplied(tx, n)
	})
}

// RemoveSegment drops a deleted segment's records and sets the ledger
// entries applied to n.
func (x *Index) RemoveSegment(segment string, n uint64) error {
	return x.db.Update(func(tx *bbolt.Tx) error {
		ids, err := segmentIDs(tx, segment)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := drop(tx, id); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bSegments).Delete([]byte(segment)); err != nil {
			return err
		}
		return setApplied(tx, n)
	})
}

// SetApplied records that the index holds n ledger entries.
func (x *Index) SetApplied(n uint64) error {
	return x.db.Update(func(tx *bbolt.Tx) error { return setApplied(tx, n) })
}

func setApplied(tx *bbolt.Tx, n uint64) error {
	return tx.Bucket(bMeta).Put(kApplied, binary.BigEndian.AppendUint64(nil, n))
}

// drop removes the record id and its keys.
func drop(tx *bbolt.Tx, id string) error {
	v := tx.Bucket(bPieces).Get([]byte(id))
	if v == nil {
		return nil
	}
	r, err := decodeRecord(v)
	if err != nil {
		return err
	}
	for _, k := range keysOf(r) {
		if err := tx.Bucket(bKeys).Delete(k); err != nil {
			return err
		}
	}
	return tx.Bucket(bPieces).Delete([]byte(id))
}

// keysOf are the composite keys of r (zero bytes in the parts left out,
// each key in a slice of one buffer).
func keysOf(r Record) [][]byte {
	var buf []byte
	var ends []int
	part := func(s string) {
		for i := range len(s) {
			if s[i] != 0 {
				buf = append(buf, s[i])
			}
		}
	}
	key := func(kind byte, head, value string) {
		buf = append(buf, kind, 0)
		part(head)
		buf = append(buf, 0)
		if kind == 'f' {
			part(value)
			buf = append(buf, 0)
		}
		part(r.ID)
		ends = append(ends, len(buf))
	}
	for _, f := range Builtin {
		if v := r.builtinValue(f); v != "" {
			key('f', f, v)
		}
	}
	for f, v := range r.Fields {
		if !slices.Contains(Builtin, f) && v != "" {
			key('f', f, v)
		}
	}
	var seen []string
	for _, line := range r.Text {
		for _, w := range Words(line) {
			if !slices.Contains(seen, w) {
				seen = append(seen, w)
				key('t', w, "")
			}
		}
	}
	key('s', r.Sent.UTC().Format(sentLayout), "")
	keys := make([][]byte, len(ends))
	from := 0
	for i, end := range ends {
		keys[i] = buf[from:end:end]
		from = end
	}
	return keys
}

func segmentIDs(tx *bbolt.Tx, segment string) ([]string, error) {
	v := tx.Bucket(bSegments).Get([]byte(segment))
	if v == nil {
		return nil, nil
	}
	var ids []string
	err := json.Unmarshal(v, &ids)
	return ids, err
}

// Get returns the record of piece id.
func (x *Index) Get(id string) (r Record, err error) {
	err = x.db.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bPieces).Get([]byte(id))
		if v == nil {
			return fmt.Errorf("%w: %s", ErrNotFound, id)
		}
		r, err = decodeRecord(v)
		return err
	})
	return r, err
}

// Has reports which of ids the index holds.
func (x *Index) Has(ids []string) (map[string]bool, error) {
	has := map[string]bool{}
	err := x.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bPieces)
		for _, id := range ids {
			if b.Get([]byte(id)) != nil {
				has[id] = true
			}
		}
		return nil
	})
	return has, err
}

// Segments returns every indexed segment with its piece IDs.
func (x *Index) Segments() (map[string][]string, error) {
	out := map[string][]string{}
	err := x.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bSegments).ForEach(func(k, v []byte) error {
			var ids []string
			if err := json.Unmarshal(v, &ids); err != nil {
				return err
			}
			out[string(k)] = ids
			return nil
		})
	})
	return out, err
}

// scan calls fn with the value and ID of each key under head (a kind
// and field, each ended by a zero byte) whose value starts with from,
// or with from <= value <= to when to is set. The slices are valid only
// during the call.
func scan(tx *bbolt.Tx, head []byte, from string, to *string, fn func(value, id []byte)) {
	c := tx.Bucket(bKeys).Cursor()
	start := append(slices.Clone(head), from...)
	prefix := []byte(from)
	for k, _ := c.Seek(start); k != nil && bytes.HasPrefix(k, head); k, _ = c.Next() {
		rest := k[len(head):]
		cut := bytes.LastIndexByte(rest, 0)
		if cut < 0 {
			continue
		}
		value, id := rest[:cut], rest[cut+1:]
		if to == nil && !bytes.HasPrefix(value, prefix) {
			break
		}
		if to != nil && string(value) > *to {
			break
		}
		fn(value, id)
	}
}
