package queues

// Quiesce stops the dispatchers from starting new sends; the sends under
// way go on, on the printers and settings they started with. With Sending
// the daemon waits for them before it replaces the service by one built
// on a new configuration (a reload), so no send is cut off by it.
func (s *Service) Quiesce() {
	s.routeMu.Lock()
	s.quiescing = true
	s.routeMu.Unlock()
	for _, q := range s.printers {
		q.wake()
	}
}

// Sending is the number of outputs being sent now.
func (s *Service) Sending() int {
	n := 0
	for _, q := range s.printers {
		q.mu.Lock()
		if q.sending != nil {
			n++
		}
		q.mu.Unlock()
	}
	return n
}
