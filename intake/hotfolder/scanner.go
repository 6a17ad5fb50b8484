package hotfolder

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/rs/zerolog"
)

// entry is what a scanner remembers about one file.
type entry struct {
	info    fs.FileInfo // the state last seen
	since   time.Time   // when that state was first seen
	same    int         // later scans in a row that found the state unchanged
	gen     uint64      // the scan that last saw the file
	retryAt time.Time   // after a failed handler: not offered before this
	taken   bool        // handed over without error; not offered again while unchanged
	warned  bool        // a one-time warning about this state was logged
}

// scanner is the state machine behind Watch: each scan lists the folder and
// returns the files that became complete. It reads the clock only through
// its now arguments, so tests drive it scan by scan.
//
// It remembers only files seen by the latest scan, so its memory is bounded
// by what is in the folder (plus companions outside it).
type scanner struct {
	cfg     Config
	log     zerolog.Logger
	gen     uint64
	entries map[string]*entry // by path
}

// newScanner returns a scanner for cfg, with defaults applied.
func newScanner(cfg Config, log zerolog.Logger) (*scanner, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &scanner{
		cfg:     cfg,
		log:     log.With().Str("dir", cfg.Dir).Logger(),
		entries: make(map[string]*entry),
	}, nil
}

// scan lists the folder once, at time now, and returns the complete print
// files in name order. On error the scanner's memory is left as it was.
func (s *scanner) scan(now time.Time) ([]Arrival, error) {
	ents, err := os.ReadDir(s.cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("hot folder %s: %w", s.cfg.Dir, err)
	}
	s.gen++
	present := make(map[string]bool, len(ents))
	var inputs, dones []string
	for _, de := range ents {
		if !de.Type().IsRegular() {
			continue
		}
		info, err := de.Info()
		if err != nil {
			continue // removed since the listing
		}
		name := de.Name()
		present[name] = true
		s.observe(filepath.Join(s.cfg.Dir, name), info, now)
		switch {
		case s.cfg.isInput(name):
			inputs = append(inputs, name)
		case s.cfg.isDoneFile(name):
			dones = append(dones, name)
		}
	}
	s.warnOrphans(dones, present)
	var out []Arrival
	for _, name := range inputs {
		if a, ok := s.evaluate(name, present, now); ok {
			out = append(out, a)
		}
	}
	s.forget()
	return out, nil
}

// settle records what the handler made of a, at time now: after an error the
// file is not offered again before the retry delay; after success it is not
// offered again while it stays unchanged in the folder.
func (s *scanner) settle(a Arrival, err error, now time.Time) {
	e := s.entries[a.Path]
	if e == nil {
		return
	}
	if err != nil {
		e.retryAt = now.Add(s.cfg.retryDelay())
		return
	}
	e.taken = true
}

// evaluate decides whether the input file name is complete at time now.
func (s *scanner) evaluate(name string, present map[string]bool, now time.Time) (Arrival, bool) {
	path := filepath.Join(s.cfg.Dir, name)
	e := s.entries[path]
	if e.taken {
		s.warnOnce(e, name, "file still present after it was handed over; not offered again until it changes")
		return Arrival{}, false
	}
	var done string
	if present[name+s.cfg.DoneSuffix] {
		done = filepath.Join(s.cfg.Dir, name+s.cfg.DoneSuffix)
	}
	comps, compsOK := s.companions(path, done != "", now)
	switch {
	case now.Before(e.retryAt), !compsOK:
		return Arrival{}, false
	case s.cfg.RequireDone && done == "":
		return Arrival{}, false
	case done == "" && !s.stable(e, now):
		return Arrival{}, false
	}
	return Arrival{Path: path, Workflow: s.cfg.Workflow, DoneFile: done, Companions: comps}, true
}

// companions returns the companions of path that are present, and whether
// they allow path to be taken: all present must be stable (unless a done-file
// exists), and one must be present if Config.RequireCompanion is set. Each
// is observed even when an earlier one already decided the answer, so that
// its stability is tracked.
func (s *scanner) companions(path string, done bool, now time.Time) ([]string, bool) {
	if s.cfg.Companions == nil {
		return nil, true
	}
	var out []string
	ok := true
	for _, c := range s.cfg.Companions(path) {
		if !filepath.IsAbs(c) {
			c = filepath.Join(s.cfg.Dir, c)
		}
		c = filepath.Clean(c)
		e := s.observePath(c, now)
		if e == nil || c == path {
			continue
		}
		if !done && !s.stable(e, now) {
			ok = false
		}
		out = append(out, c)
	}
	if s.cfg.RequireCompanion && len(out) == 0 {
		ok = false
	}
	return out, ok
}

// stable reports whether the file behind e has settled by time now.
func (s *scanner) stable(e *entry, now time.Time) bool {
	return e.same >= s.cfg.StableScans && now.Sub(e.since) >= s.cfg.settleTime()
}

// observePath observes the file at path in the current scan, unless it was
// already; it returns nil if path is not a regular file.
func (s *scanner) observePath(path string, now time.Time) *entry {
	if e := s.entries[path]; e != nil && e.gen == s.gen {
		return e
	}
	info, err := os.Lstat(path)
	if err != nil || !info.Mode().IsRegular() {
		return nil
	}
	return s.observe(path, info, now)
}

// observe records that the file at path was seen with info at time now.
func (s *scanner) observe(path string, info fs.FileInfo, now time.Time) *entry {
	e := s.entries[path]
	switch {
	case e == nil:
		e = &entry{info: info, since: now}
		s.entries[path] = e
	case e.gen == s.gen:
		return e
	case unchanged(e.info, info):
		e.same++
	default:
		// A new state starts over, but a pending retry delay still holds.
		*e = entry{info: info, since: now, retryAt: e.retryAt}
	}
	e.gen = s.gen
	return e
}

// unchanged reports whether a and b describe the same file with the same
// size and modification time.
func unchanged(a, b fs.FileInfo) bool {
	return a.Size() == b.Size() && a.ModTime().Equal(b.ModTime()) && os.SameFile(a, b)
}

// forget drops every file the current scan did not see.
func (s *scanner) forget() {
	for path, e := range s.entries {
		if e.gen != s.gen {
			delete(s.entries, path)
		}
	}
}

// warnOrphans logs, once each, the done-files whose print file is missing.
func (s *scanner) warnOrphans(dones []string, present map[string]bool) {
	for _, name := range dones {
		if present[s.cfg.dataName(name)] {
			continue
		}
		e := s.entries[filepath.Join(s.cfg.Dir, name)]
		s.warnOnce(e, name, "done-file without its print file; ignored")
	}
}

// warnOnce logs msg about the file name unless a warning was already logged
// for the current state of e.
func (s *scanner) warnOnce(e *entry, name, msg string) {
	if e == nil || e.warned {
		return
	}
	e.warned = true
	s.log.Warn().Str("file", name).Msg(msg)
}
