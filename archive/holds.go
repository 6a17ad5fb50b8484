package archive

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"time"

	"github.com/omsd/omsd/archive/index"
	"github.com/omsd/omsd/atomicfile"
)

// ErrHold is wrapped by errors about legal holds.
var ErrHold = errors.New("archive: hold")

// Hold is a legal hold: pieces that expiry must keep whatever their
// retention says, until the hold is released.
type Hold struct {
	Name    string      `json:"name"`
	Reason  string      `json:"reason,omitempty"`
	Query   index.Query `json:"query,omitzero"` // what selected the pieces, if a query did
	Pieces  []string    `json:"pieces"`
	Created time.Time   `json:"created"`
	By      string      `json:"by,omitempty"`
}

// holds are the legal holds, kept in one file written atomically.
type holds struct {
	path string
	m    map[string]Hold
}

func loadHolds(path string) (*holds, error) {
	h := &holds{path: path, m: map[string]Hold{}}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return h, nil
	}
	if err != nil {
		return nil, err
	}
	var list []Hold
	if err := json.Unmarshal(b, &list); err != nil {
		return nil, fmt.Errorf("legal holds %s: %w", path, err)
	}
	for _, x := range list {
		h.m[x.Name] = x
	}
	return h, nil
}

func (h *holds) save() error {
	list := h.list()
	b, _ := json.MarshalIndent(list, "", "  ")
	_, err := atomicfile.WriteFile(h.path, bytes.NewReader(b), 0o644)
	return err
}

func (h *holds) list() []Hold {
	var list []Hold
	for _, x := range h.m {
		list = append(list, x)
	}
	slices.SortFunc(list, func(a, b Hold) int { return a.Created.Compare(b.Created) })
	return list
}

// held is the set of pieces under any hold.
func (h *holds) held() map[string]bool {
	m := map[string]bool{}
	for _, x := range h.m {
		for _, id := range x.Pieces {
			m[id] = true
		}
	}
	return m
}

// PlaceHold puts the pieces q selects, and the pieces listed, under the
// hold name.
func (s *Service) PlaceHold(name, reason, by string, q *index.Query, pieces []string) (Hold, error) {
	if name == "" {
		return Hold{}, fmt.Errorf("%w: name the hold", ErrHold)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.holds.m[name]; ok {
		return Hold{}, fmt.Errorf("%w: %q exists; release it first or choose another name", ErrHold, name)
	}
	s.waitIndex()
	h := Hold{Name: name, Reason: reason, Created: s.now().UTC(), By: by}
	if q != nil {
		qq := *q
		qq.Limit = 1 << 30
		recs, err := s.idx.Search(qq)
		if err != nil {
			return Hold{}, err
		}
		for _, r := range recs {
			h.Pieces = append(h.Pieces, r.ID)
		}
		h.Query = *q
	}
	for _, id := range pieces {
		if _, err := s.idx.Get(id); err != nil {
			return Hold{}, err
		}
		if !slices.Contains(h.Pieces, id) {
			h.Pieces = append(h.Pieces, id)
		}
	}
	if len(h.Pieces) == 0 {
		return Hold{}, fmt.Errorf("%w: %q selects no archived piece; check the query with omsctl archive search", ErrHold, name)
	}
	s.holds.m[name] = h
	if err := s.holds.save(); err != nil {
		delete(s.holds.m, name)
		return Hold{}, err
	}
	s.log.Info().Str("hold", name).Int("pieces", len(h.Pieces)).Str("by", by).Msg("legal hold placed")
	return h, nil
}

// ReleaseHold ends the hold name.
func (s *Service) ReleaseHold(name, by string) (Hold, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h, ok := s.holds.m[name]
	if !ok {
		return Hold{}, fmt.Errorf("%w: no hold %q; omsctl archive holds lists them", ErrNotFound, name)
	}
	delete(s.holds.m, name)
	if err := s.holds.save(); err != nil {
		s.holds.m[name] = h
		return Hold{}, err
	}
	s.log.Info().Str("hold", name).Str("by", by).Msg("legal hold released")
	return h, nil
}

// Holds lists the holds, oldest first.
func (s *Service) Holds() []Hold {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.holds.list()
}
