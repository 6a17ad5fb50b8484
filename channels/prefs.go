package channels

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/omsd/omsd/config"
)

// maxPreferencesSize bounds a preference file read whole (JSON).
const maxPreferencesSize = 256 << 20

// Preference is one customer's choice: a channel and, optionally, the
// address to e-mail.
type Preference struct {
	Channel string `json:"channel"`
	Email   string `json:"email,omitempty"`
}

// preferences caches preference files, each read again when its size or
// modification time changes.
type preferences struct {
	mu    sync.Mutex
	files map[string]*prefFile
}

type prefFile struct {
	size  int64
	mtime time.Time
	byID  map[string]Preference
}

// lookup returns the preferences of the file at path, read again if it
// changed since it was last read.
func (p *preferences) lookup(path string) (map[string]Preference, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%w: preference file: %w", ErrPreferences, err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if f, ok := p.files[path]; ok && f.size == fi.Size() && f.mtime.Equal(fi.ModTime()) {
		return f.byID, nil
	}
	byID, err := readPreferences(path)
	if err != nil {
		return nil, err
	}
	if p.files == nil {
		p.files = map[string]*prefFile{}
	}
	p.files[path] = &prefFile{size: fi.Size(), mtime: fi.ModTime(), byID: byID}
	return byID, nil
}

// readPreferences reads a CSV or JSON preference file.
func readPreferences(path string) (map[string]Preference, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPreferences, err)
	}
	defer f.Close()
	var byID map[string]Preference
	if strings.EqualFold(filepath.Ext(path), ".json") {
		byID, err = readPreferencesJSON(io.LimitReader(f, maxPreferencesSize))
	} else {
		byID, err = readPreferencesCSV(f)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w; correct the file, it is read again when it changes", ErrPreferences, path, err)
	}
	return byID, nil
}

// readPreferencesCSV reads customer_id,channel[,email] rows; a first row
// whose second column is not a channel is a header.
func readPreferencesCSV(r io.Reader) (map[string]Preference, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	byID := map[string]Preference{}
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return byID, nil
		}
		if err != nil {
			return nil, err
		}
		if len(rec) < 2 {
			return nil, fmt.Errorf("line %d: want customer_id,channel[,email]", line)
		}
		ch := strings.ToLower(strings.TrimSpace(rec[1]))
		if !slices.Contains(config.Channels, ch) {
			if line == 1 {
				continue // a header
			}
			return nil, fmt.Errorf("line %d: channel %q is none of %s", line, rec[1], strings.Join(config.Channels, ", "))
		}
		p := Preference{Channel: ch}
		if len(rec) > 2 {
			p.Email = strings.TrimSpace(rec[2])
		}
		byID[strings.TrimSpace(rec[0])] = p
	}
}

// readPreferencesJSON reads {"ID": "channel"} or {"ID": {"channel": ...,
// "email": ...}}.
func readPreferencesJSON(r io.Reader) (map[string]Preference, error) {
	var raw map[string]json.RawMessage
	if err := json.NewDecoder(r).Decode(&raw); err != nil {
		return nil, err
	}
	byID := make(map[string]Preference, len(raw))
	for id, v := range raw {
		var p Preference
		if err := json.Unmarshal(v, &p.Channel); err != nil {
			if err := json.Unmarshal(v, &p); err != nil {
				return nil, fmt.Errorf("customer %q: want a channel or {\"channel\": ..., \"email\": ...}", id)
			}
		}
		p.Channel = strings.ToLower(p.Channel)
		if !slices.Contains(config.Channels, p.Channel) {
			return nil, fmt.Errorf("customer %q: channel %q is none of %s", id, p.Channel, strings.Join(config.Channels, ", "))
		}
		byID[id] = p
	}
	return byID, nil
}
