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
	// Backlog is the pieces sent but not stored yet (workflows whose
	// archiving may run behind), in BacklogBytes of segments on local
	// disk, the oldest queued at BacklogSince.
	Backlog      int       `json:"backlog"`
	BacklogBytes int64     `json:"backlog_bytes"`
	BacklogSince time.Time `json:"backlog_since,omitzero"`
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
	st.Backlog = s.back.pieces("")
	for i, q := range s.back.segs {
		st.BacklogBytes += q.size
		if i == 0 || q.at.Before(st.BacklogSince) {
			st.BacklogSince = q.at.UTC()
		}
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
