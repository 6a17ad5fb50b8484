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

// Release queues a held or stopped job again (completed if every output
// was printed), its outputs' failure counts reset.
func (s *Service) Release(ctx context.Context, id int64) (api.Job, error) {
	j, err := s.change(id, func(j *spool.Job) error {
		if j.State != spool.Held && j.State != spool.Stopped {
			return fmt.Errorf("%w: job %d is %s; only a held or stopped job can be released", api.ErrConflict, id, j.State)
		}
		for i := range j.Outputs {
			j.Outputs[i].Failures = 0
		}
		j.State, j.StateReasons = jobs.Released(*j)
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
