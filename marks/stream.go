package marks

import "fmt"

// Stream computes the marks of one output's sheets an envelope at a time,
// in print order: the marks Sheets returns for the whole output, for a
// writer that draws each sheet as it reaches it and holds only the
// current envelope's sheets.
type Stream struct {
	c      counter
	n, k   int // the output's envelopes; those computed so far
	sheets []SheetMarks
}

// NewStream starts the marks of an output of n envelopes: counters (the
// continuous sequence, the match code, batches) start afresh, as with
// Sheets.
func NewStream(job JobInfo, p *Profile, n int) (*Stream, error) {
	if p == nil || !p.prepared {
		return nil, fmt.Errorf("%w: no prepared profile", ErrProfile)
	}
	return &Stream{c: counter{p: p, job: job}, n: n}, nil
}

// Next returns the marks of the sheets of e, the output's next envelope.
// The slice is reused: it holds until the next call.
func (s *Stream) Next(e *EnvelopeSheets) ([]SheetMarks, error) {
	if s.k >= s.n {
		return nil, fmt.Errorf("%w: envelope %d is past the output's %d envelopes", ErrSheets, e.ID, s.n)
	}
	sheets, err := s.c.envelope(s.sheets[:0], e, s.k, s.n)
	if err != nil {
		return nil, fmt.Errorf("envelope %d: %w", e.ID, err)
	}
	s.sheets = sheets
	s.k++
	return sheets, nil
}

// Done reports whether every envelope of the output was given to Next.
func (s *Stream) Done() bool { return s.k == s.n }

// Envelopes gives an output's envelopes in print order, one at a time,
// for a writer that computes each sheet's marks as it reaches it.
type Envelopes interface {
	// Len is the number of envelopes.
	Len() int
	// Next returns the next envelope, which holds until the next call;
	// false after the last.
	Next() (*EnvelopeSheets, bool)
}

// EnvelopeList gives the envelopes of a slice.
func EnvelopeList(envelopes []EnvelopeSheets) Envelopes {
	return &envelopeList{envs: envelopes}
}

type envelopeList struct {
	envs []EnvelopeSheets
	next int
}

func (l *envelopeList) Len() int { return len(l.envs) }

func (l *envelopeList) Next() (*EnvelopeSheets, bool) {
	if l.next == len(l.envs) {
		return nil, false
	}
	l.next++
	return &l.envs[l.next-1], true
}
