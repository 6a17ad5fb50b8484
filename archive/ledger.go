package archive

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/omsd/omsd/atomicfile"
)

// Ledger operations.
const (
	opAdd    = "add"    // a segment was closed
	opDelete = "delete" // expiry deleted a segment
)

// Entry is one line of the ledger. Hash chains it to the line before:
// SHA-256 over the previous hash and this entry's fields, so a changed,
// removed or reordered line breaks every hash after it.
type Entry struct {
	N       uint64    `json:"n"` // 1, 2, ...
	Op      string    `json:"op"`
	Segment string    `json:"segment"`
	SHA256  string    `json:"sha256,omitempty"` // of the whole segment
	Size    int64     `json:"size,omitempty"`
	Pieces  int       `json:"pieces,omitempty"`
	Time    time.Time `json:"time"`
	Reason  string    `json:"reason,omitempty"` // why a segment was deleted
	Prev    string    `json:"prev"`
	Hash    string    `json:"hash"`
}

// chainHash is the hash of e linked to prev.
func (e Entry) chainHash(prev string) string {
	return digest(fmt.Appendf(nil, "%s\n%d\n%s\n%s\n%s\n%d\n%d\n%s\n%s", prev, e.N, e.Op, e.Segment, e.SHA256,
		e.Size, e.Pieces, e.Time.UTC().Format(time.RFC3339Nano), e.Reason))
}

// ledger is the append-only file of entries.
type ledger struct {
	path    string
	f       *os.File
	entries []Entry
}

// openLedger reads the ledger at path, dropping a last line a crash cut
// short (it was never acknowledged: an entry counts once its line and
// newline are synced), and opens it for appending.
func openLedger(path string) (*ledger, error) {
	b, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if i := bytes.LastIndexByte(b, '\n'); i+1 < len(b) {
		if err := os.Truncate(path, int64(i+1)); err != nil {
			return nil, fmt.Errorf("dropping the ledger's cut-off last line: %w", err)
		}
		b = b[:i+1]
	}
	entries, err := parseLedger(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("ledger %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := atomicfile.SyncDir(dirOf(path)); err != nil {
		f.Close()
		return nil, err
	}
	return &ledger{path: path, f: f, entries: entries}, nil
}

// parseLedger reads entries, one JSON object a line.
func parseLedger(r io.Reader) ([]Entry, error) {
	var entries []Entry
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		var e Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		entries = append(entries, e)
	}
	return entries, sc.Err()
}

// last is the hash of the last entry, "" for none.
func (l *ledger) last() string {
	if len(l.entries) == 0 {
		return ""
	}
	return l.entries[len(l.entries)-1].Hash
}

// append chains e to the ledger and syncs it.
func (l *ledger) append(e Entry) (Entry, error) {
	e.N, e.Prev, e.Time = uint64(len(l.entries))+1, l.last(), e.Time.UTC()
	e.Hash = e.chainHash(e.Prev)
	line, _ := json.Marshal(e)
	st, err := l.f.Stat()
	if err != nil {
		return Entry{}, err
	}
	_, err = l.f.Write(append(line, '\n'))
	if err == nil {
		err = l.f.Sync()
	}
	if err != nil {
		// A line written in part (a full disk) would run into the next.
		if terr := l.f.Truncate(st.Size()); terr != nil {
			return Entry{}, fmt.Errorf("appending to the ledger: %w (and cutting the partial line: %w)", err, terr)
		}
		return Entry{}, fmt.Errorf("appending to the ledger: %w", err)
	}
	l.entries = append(l.entries, e)
	return e, nil
}

// live returns the segments added and not deleted, with their entries.
func (l *ledger) live() map[string]Entry {
	m := map[string]Entry{}
	for _, e := range l.entries {
		switch e.Op {
		case opAdd:
			m[e.Segment] = e
		case opDelete:
			delete(m, e.Segment)
		}
	}
	return m
}

func (l *ledger) close() error { return l.f.Close() }

func dirOf(path string) string {
	if i := strings.LastIndexByte(path, os.PathSeparator); i > 0 {
		return path[:i]
	}
	return "."
}

// names reports whether the ledger has an entry of segment name.
func (l *ledger) names(name string) bool {
	for _, e := range l.entries {
		if e.Segment == name {
			return true
		}
	}
	return false
}
