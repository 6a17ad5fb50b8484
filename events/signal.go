package events

// Waker is a service that is told there may be work; a *Signal is one.
type Waker interface{ Wake() }

// Signal wakes a service that there may be work, without saying what: the
// woken service reads the spool. Wakes while one is pending merge.
type Signal struct{ c chan struct{} }

// NewSignal returns a signal nobody has woken yet.
func NewSignal() *Signal { return &Signal{c: make(chan struct{}, 1)} }

// Wake tells the service behind the signal to look; it never blocks.
func (s *Signal) Wake() {
	select {
	case s.c <- struct{}{}:
	default:
	}
}

// C receives once per merged wake.
func (s *Signal) C() <-chan struct{} { return s.c }
