package loop

import "github.com/omsd/omsd/spool"

// Observer is told what the loop does that the event log does not carry
// one event for: the piece events of the lines' result files, and why a
// reprint was queued. The metrics service is one; it must not block.
type Observer interface {
	// ResultEvents counts n piece events of kind (inserted, diverted,
	// damaged, ...) applied from one of line's result files.
	ResultEvents(line, kind string, n int)
	// Reprinted counts a reprint job of pieces queued for reason
	// (ReprintLine, ReprintOperator).
	Reprinted(reason string, pieces int)
}

// Reprint reasons, as the Observer is told them.
const (
	ReprintLine     = "line"     // damaged or unread on the line
	ReprintOperator = "operator" // asked for by an operator
)

// Option configures a Service at construction.
type Option func(*Service)

// WithObserver has the loop tell o what it does.
func WithObserver(o Observer) Option { return func(s *Service) { s.observer = o } }

// nopObserver is the observer of a loop built without one.
type nopObserver struct{}

func (nopObserver) ResultEvents(string, string, int) {}
func (nopObserver) Reprinted(string, int)            {}

// observeResults tells the observer the piece events just applied.
func (s *Service) observeResults(line string, entries []spool.TrackEntry) {
	by := map[string]int{}
	for _, e := range entries {
		by[e.Event.Kind]++
	}
	for kind, n := range by {
		s.observer.ResultEvents(line, kind, n)
	}
}
