package loop

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/events"
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
	by := strings.TrimSpace(a.By)
	if by == "" {
		by = "operator"
	}
	now := time.Now().UTC()
	s.loopMu.Lock()
	var acked []string
	var pieces []int
	j, err = s.pub.Update(root, func(j *spool.Job) error {
		if j.Loop == nil || len(j.Loop.Alarms) == 0 {
			return fmt.Errorf("%w: job %d has no integrity alarm to acknowledge", api.ErrConflict, root)
		}
		note := fmt.Sprintf("%s%s by %s: %s", ackSep, now.Format(time.RFC3339), by, a.Reason)
		for _, al := range j.Loop.Alarms {
			j.Loop.Acknowledged = append(j.Loop.Acknowledged, al+note)
		}
		pieces = ackIncidents(j.Loop, by, a.Reason, now)
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
	s.log.Warn().Int64("job", root).Strs("alarms", acked).Str("by", by).Str("reason", a.Reason).Msg("integrity alarms acknowledged")
	s.trackAcks(root, pieces, by, a.Reason, now)
	s.store.AddEvent(spool.Event{Job: root, Type: eventAlarm, Reasons: []string{events.ReasonAlarmAcknowledged}, Message: j.Message})
	s.pub.Flush()
	s.reconcile(root)
	j, err = s.store.Job(root)
	return jobs.API(j), err
}

// ackIncidents records the acknowledgement on every open incident of l
// and returns the pieces they name.
func ackIncidents(l *spool.Loop, by, reason string, now time.Time) []int {
	var pieces []int
	for i := range l.Incidents {
		in := &l.Incidents[i]
		if in.AckTime.IsZero() {
			in.AckBy, in.AckTime, in.AckReason = by, now, reason
			pieces = append(pieces, in.Pieces...)
		}
	}
	return pieces
}

// trackAcks adds the acknowledgement to the histories of the pieces of
// the alarms acknowledged.
func (s *Service) trackAcks(root int64, pieces []int, by, reason string, now time.Time) {
	entries := make([]spool.TrackEntry, len(pieces))
	for i, seq := range pieces {
		entries[i] = spool.TrackEntry{Root: root, Seq: seq, Event: spool.PieceEvent{
			Time: now, Kind: spool.TrackAcknowledged, Job: root, Operator: by, Detail: reason}}
	}
	if err := s.store.AddTrackEvents(entries); err != nil {
		s.log.Error().Err(err).Int64("job", root).Msg("noting the acknowledgement in the pieces' histories")
	}
}

// incidents lists a run's integrity alarms with their acknowledgements,
// for the close-out. Runs from before incidents were kept have the
// alarms' text only: their acknowledgements are read from it, by
// "operator".
func incidents(l *spool.Loop) []api.Incident {
	if l == nil {
		return nil
	}
	var out []api.Incident
	for _, in := range l.Incidents {
		ai := api.Incident{Alarm: in.Alarm, Pieces: in.Pieces, Raised: in.Raised}
		if !in.AckTime.IsZero() {
			ai.Acknowledged = &api.Ack{By: in.AckBy, Time: in.AckTime, Reason: in.AckReason}
		}
		out = append(out, ai)
	}
	if len(l.Incidents) > 0 {
		return out
	}
	for _, entry := range l.Acknowledged {
		alarm, note, _ := strings.Cut(entry, ackSep)
		stamp, reason, _ := strings.Cut(note, ": ")
		t, _ := time.Parse(time.RFC3339, stamp)
		out = append(out, api.Incident{Alarm: alarm, Acknowledged: &api.Ack{By: "operator", Time: t, Reason: reason}})
	}
	for _, a := range l.Alarms {
		out = append(out, api.Incident{Alarm: a})
	}
	return out
}
