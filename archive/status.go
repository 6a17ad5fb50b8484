package archive

import "time"

// Status is the archive's state for omsctl status.
type Status struct {
	Store    string `json:"store"`
	Ready    bool   `json:"ready"` // the store answered and the ledger names all it holds
	Segments int    `json:"segments"`
	Pieces   int    `json:"pieces"`
	Holds    int    `json:"holds"`
	// Problem is the last failure to store a segment, while outputs wait
	// for the archive; empty once a segment was stored again.
	Problem string    `json:"problem,omitempty"`
	Since   time.Time `json:"since,omitzero"`
}

// Status reports the archive's state.
func (s *Service) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Status{Store: s.store.String(), Ready: s.ready, Holds: len(s.holds.m), Problem: s.problem, Since: s.problemSince}
	for _, e := range s.ledger.live() {
		st.Segments++
		st.Pieces += e.Pieces
	}
	return st
}

// noteProblem records why the last store failed, or clears it; s.mu is
// held.
func (s *Service) noteProblem(err error) {
	if err == nil {
		s.problem, s.problemSince = "", time.Time{}
		return
	}
	if s.problem == "" {
		s.problemSince = s.now().UTC()
	}
	s.problem = err.Error()
}
