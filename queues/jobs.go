package queues

import (
	"context"
	"fmt"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/spool"
)

// Hold holds a pending job until an operator releases it.
func (s *Service) Hold(ctx context.Context, id int64) (api.Job, error) {
	return s.change(id, func(j *spool.Job) error {
		if j.State != spool.Pending {
			return fmt.Errorf("%w: job %d is %s; only a pending job can be held", api.ErrConflict, id, j.State)
		}
		j.State, j.StateReasons, j.Message = spool.Held, []string{"job-hold-until-specified"}, "held by the operator"
		return nil
	})
}

// Release queues a held, stopped or aborted job again (completed if every
// output was printed), its outputs' failure counts reset; an aborted one
// only while its print file is in the spool, and one never analysed goes
// back to analysis (see operatorRule).
func (s *Service) Release(ctx context.Context, id int64) (api.Job, error) {
	if j, err := s.store.Job(id); err == nil && (jobs.HeldForResources(j) || j.State == spool.Aborted) {
		s.space.Retry() // the operator says the cause is dealt with
	}
	j, err := s.change(id, func(j *spool.Job) error {
		st, reasons, err := operatorRule(verbRelease, *j, s.inputInSpool(*j))
		if err != nil {
			return err
		}
		for i := range j.Outputs {
			j.Outputs[i].Failures = 0
		}
		j.State, j.StateReasons = st, reasons
		j.Message = "released by the operator"
		return nil
	})
	if err == nil {
		s.router.Wake()
	}
	return j, err
}

// Cancel cancels a waiting job at once; a job being sent is stopped (the
// IPP driver cancels the printer's job), and the dispatcher records it as
// canceled when the device has let go of it.
func (s *Service) Cancel(ctx context.Context, id int64) (api.Job, error) {
	s.mu.Lock()
	sending := false
	for k, stop := range s.running {
		if k.job == id {
			s.canceled[id] = true
			stop()
			sending = true
		}
	}
	s.mu.Unlock()
	if sending {
		j, err := jobs.Find(s.store, id)
		return jobs.API(j), err
	}
	return s.change(id, func(j *spool.Job) error {
		if j.State.Terminal() {
			return fmt.Errorf("%w: job %d is already %s", api.ErrConflict, id, j.State)
		}
		j.State, j.StateReasons, j.Message = spool.Canceled, []string{"job-canceled-by-user"}, "canceled by the operator"
		return nil
	})
}

// change applies fn to job id, which must exist.
func (s *Service) change(id int64, fn func(*spool.Job) error) (api.Job, error) {
	if _, err := jobs.Find(s.store, id); err != nil {
		return api.Job{}, err
	}
	j, err := s.pub.Update(id, fn)
	return jobs.API(j), err
}
