package archive

import (
	"context"
	"fmt"

	"github.com/omsd/omsd/archive/index"
)

// Search returns the records q selects. The search is audited.
func (s *Service) Search(q index.Query, user string) ([]Record, error) {
	s.waitIndex()
	recs, err := s.idx.Search(q)
	if aerr := s.record(user, "archive.search", describe(q), err); aerr != nil {
		return nil, aerr
	}
	return recs, err
}

// Record returns the record of piece id.
func (s *Service) Record(id string) (Record, error) {
	s.waitIndex()
	return s.idx.Get(id)
}

// Get returns piece id's bytes as they were sent, checked against its
// recorded SHA-256, and its record. The retrieval is audited.
func (s *Service) Get(ctx context.Context, id, user string) ([]byte, Record, error) {
	data, r, err := s.get(ctx, id)
	if aerr := s.record(user, "archive.get", "piece "+id, err); aerr != nil {
		return nil, Record{}, aerr
	}
	return data, r, err
}

func (s *Service) get(ctx context.Context, id string) ([]byte, Record, error) {
	s.waitIndex()
	r, err := s.idx.Get(id)
	if err != nil {
		return nil, Record{}, err
	}
	frame, err := s.store.GetRange(ctx, r.Segment, r.Offset, r.Length)
	if err != nil {
		return nil, r, err
	}
	data, err := openFrame(r, frame)
	return data, r, err
}

// record logs and audits one retrieval; an error if the audit trail could
// not take it.
func (s *Service) record(user, action, target string, err error) error {
	result := "ok"
	if err != nil {
		result = err.Error()
	}
	s.log.Info().Str("user", user).Str("action", action).Str("target", target).Str("result", result).Msg("archive retrieval")
	if s.audit == nil {
		return nil
	}
	if aerr := s.audit.Audit(user, action, target, result); aerr != nil {
		s.log.Error().Err(aerr).Msg("recording an archive retrieval in the audit trail; the retrieval is refused")
		return fmt.Errorf("%w: the audit trail did not take the retrieval: %w", ErrStore, aerr)
	}
	return nil
}

// describe writes q as the command line would.
func describe(q index.Query) string {
	out := ""
	for _, c := range q.Conds {
		v := c.Value
		switch c.Op {
		case index.Prefix:
			v += "*"
		case index.Range:
			v += ".." + c.To
		}
		out += c.Field + "=" + v + " "
	}
	if !q.From.IsZero() {
		out += "--from " + q.From.Format("2006-01-02T15:04:05Z07:00") + " "
	}
	if !q.To.IsZero() {
		out += "--to " + q.To.Format("2006-01-02T15:04:05Z07:00")
	}
	return out
}
