package loop

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/spool"
)

// ackSep separates an acknowledged alarm from the operator's note.
const ackSep = " — acknowledged "

// ackedAlarm is the alarm an acknowledgement entry was made from.
func ackedAlarm(entry string) string {
	a, _, _ := strings.Cut(entry, ackSep)
	return a
}

// Ack acknowledges the integrity alarms of the run of job id: they move to
// the acknowledged list with the operator's reason and time, the hold they
// put on the job ends, and the run is reconciled again (its pieces
// inserted twice count as inserted). A later duplicate raises a new alarm.
func (s *Service) Ack(ctx context.Context, id int64, a api.AlarmAck) (api.Job, error) {
	j, err := jobs.Find(s.store, id)
	if err != nil {
		return api.Job{}, err
	}
	if strings.TrimSpace(a.Reason) == "" {
		return api.Job{}, fmt.Errorf("%w: an acknowledgement needs a reason", api.ErrBadRequest)
	}
	root := jobs.Root(j)
	s.loopMu.Lock()
	var acked []string
	j, err = s.pub.Update(root, func(j *spool.Job) error {
		if j.Loop == nil || len(j.Loop.Alarms) == 0 {
			return fmt.Errorf("%w: job %d has no integrity alarm to acknowledge", api.ErrConflict, root)
		}
		note := fmt.Sprintf("%s%s: %s", ackSep, time.Now().UTC().Format(time.RFC3339), a.Reason)
		for _, al := range j.Loop.Alarms {
			j.Loop.Acknowledged = append(j.Loop.Acknowledged, al+note)
		}
		acked, j.Loop.Alarms = j.Loop.Alarms, nil
		if j.State == spool.Held {
			j.State, j.StateReasons = jobs.Released(*j)
		}
		j.Message = fmt.Sprintf("%d integrity alarm(s) acknowledged: %s", len(acked), a.Reason)
		return nil
	})
	s.loopMu.Unlock()
	if err != nil {
		return api.Job{}, err
	}
	s.log.Warn().Int64("job", root).Strs("alarms", acked).Str("reason", a.Reason).Msg("integrity alarms acknowledged")
	s.store.AddEvent(spool.Event{Job: root, Type: eventAlarm, Message: j.Message})
	s.pub.Flush()
	s.reconcile(root)
	j, err = s.store.Job(root)
	return jobs.API(j), err
}
