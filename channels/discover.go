package channels

import (
	"slices"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/spool"
)

// discover sets up the deliveries of every analysed job not yet seen:
// one pending delivery per piece whose channel is e-mail, e-mail and
// print, or portal. The first pass reads every job; later passes read
// the active jobs (a held job's analysis changes no state) and those the
// event log names since the pass before.
func (s *Service) discover() error {
	var js []spool.Job
	var err error
	if !s.scanned {
		if s.eventSeq, err = s.store.LastEventSeq(); err != nil {
			return err
		}
		if js, err = s.store.Jobs(); err != nil {
			return err
		}
		s.scanned = true
	} else if js, err = s.changedJobs(); err != nil {
		return err
	}
	for _, j := range js {
		if s.isKnown(j.ID) {
			continue
		}
		wf, ok := s.cfg.Workflow(j.Workflow)
		if !ok || wf.Channels == nil || (!jobs.Analyzed(j) && j.State.Terminal()) {
			s.setKnown(j.ID)
			continue
		}
		if !jobs.Analyzed(j) {
			continue
		}
		if err := s.start(j, wf); err != nil {
			return err
		}
		s.setKnown(j.ID)
	}
	return nil
}

// changedJobs are the active jobs and those with events since the last
// call.
func (s *Service) changedJobs() ([]spool.Job, error) {
	js, err := s.store.ActiveJobs()
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	for _, j := range js {
		seen[j.ID] = true
	}
	for {
		evs, err := s.store.Events(s.eventSeq, 1000)
		if err != nil || len(evs) == 0 {
			return js, err
		}
		for _, e := range evs {
			s.eventSeq = e.Seq
			if seen[e.Job] || s.isKnown(e.Job) {
				continue
			}
			seen[e.Job] = true
			j, err := s.store.Job(e.Job)
			if err != nil {
				continue // compacted or gone
			}
			js = append(js, j)
		}
	}
}

// start records the deliveries of analysed job j, once.
func (s *Service) start(j spool.Job, wf config.Workflow) error {
	has, err := s.store.HasDeliveries(j.ID)
	if err != nil || has {
		return err
	}
	pieces, err := s.store.Pieces(j.ID)
	if err != nil {
		return err
	}
	var prefs map[string]Preference
	if wf.Channels.Preferences != "" {
		prefs, _ = s.prefs.lookup(wf.Channels.Preferences) // an unreadable file: the metadata's address
	}
	var ds []spool.Delivery
	for _, p := range pieces {
		d := spool.Delivery{Job: j.ID, Seq: p.Seq, State: spool.DeliveryPending}
		switch p.Channel {
		case config.EmailChannel, config.EmailPrintChannel:
			d.Channel = config.EmailChannel
			d.To = recipient(wf.Channels, prefs[p.Meta.Get(wf.Channels.CustomerField)], p)
		case config.PortalChannel:
			d.Channel = config.PortalChannel
		default:
			continue
		}
		ds = append(ds, d)
	}
	if err := s.store.StartDeliveries(j.ID, ds); err != nil {
		return err
	}
	if len(ds) > 0 {
		s.log.Info().Int64("job", j.ID).Int("deliveries", len(ds)).Msg("digital deliveries set up")
	}
	return nil
}

func (s *Service) isKnown(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.known[id]
}

func (s *Service) setKnown(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.known[id] = true
}

// sortedSeqs are the keys of m in order.
func sortedSeqs[V any](m map[int]V) []int {
	seqs := make([]int, 0, len(m))
	for k := range m {
		seqs = append(seqs, k)
	}
	slices.Sort(seqs)
	return seqs
}
