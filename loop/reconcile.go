package loop

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/omsd/omsd/events"
	"github.com/omsd/omsd/spool"
)

// Piece statuses in the closed loop.
const (
	statusOpen       = "open"        // no result yet
	statusInserted   = "inserted"    // resolved
	statusDiverted   = "diverted"    // resolved: outsorted as commanded
	statusHandMailed = "hand-mailed" // resolved
	statusReprint    = "needs-reprint"
	statusReprinting = "reprinting"         // in a reprint job, its result awaited
	statusDelivered  = "delivered"          // resolved: e-mailed or in the portal
	statusFellBack   = "fell-back-to-print" // resolved here: printed in a fallback job of its own run
	statusBounced    = "bounced"            // its e-mail bounced; its fallback to print awaited
)

// pieceStatus is where a piece stands, from its history.
type pieceStatus struct {
	status   string
	inserted int // "inserted" events; more than one is an integrity alarm
	last     spool.PieceEvent
}

// resolved reports whether the line accounted for the piece for good.
func (p pieceStatus) resolved() bool {
	return p.status == statusInserted || p.status == statusDiverted || p.status == statusHandMailed ||
		p.status == statusDelivered || p.status == statusFellBack
}

// statusOf reads a piece's history: the last result decides, a reprint
// of a damaged, unread or open piece (the partner of a damaged letter in
// its envelope) awaits its own result, and any insert counts.
func statusOf(evs []spool.PieceEvent) pieceStatus {
	st := pieceStatus{status: statusOpen}
	for _, e := range evs {
		switch e.Kind {
		case spool.TrackInserted:
			st.inserted++
			st.status, st.last = statusInserted, e
		case spool.TrackDiverted, spool.TrackHandMailed:
			if st.inserted == 0 {
				st.status, st.last = e.Kind, e
			}
		case spool.TrackDamaged, spool.TrackUnread:
			if st.inserted == 0 {
				st.status, st.last = statusReprint, e
			}
		case spool.TrackEmailed, spool.TrackPortalDelivered:
			if st.inserted == 0 {
				st.status, st.last = statusDelivered, e
			}
		case spool.TrackBounced:
			if st.inserted == 0 {
				st.status, st.last = statusBounced, e
			}
		case spool.TrackFellBack:
			if st.inserted == 0 {
				st.status, st.last = statusFellBack, e
			}
		case spool.TrackReprinted:
			if st.status == statusReprint || st.status == statusOpen {
				st.status, st.last = statusReprinting, e
			}
		}
	}
	return st
}

// runStatus is the closed-loop view of a run: every expected piece's status.
type runStatus struct {
	root     spool.Job
	expected []int // the seqs printed or to print (held pieces are not)
	pieces   map[int]pieceStatus
	tracks   map[int][]spool.PieceEvent
	envs     envelopes // the run's envelopes and their letters
}

func (s *Service) runStatus(root int64) (runStatus, error) {
	j, err := s.store.Job(root)
	if err != nil {
		return runStatus{}, err
	}
	pieces, err := s.store.Pieces(root)
	if err != nil {
		return runStatus{}, err
	}
	tracks, err := s.store.Tracks(root)
	if err != nil {
		return runStatus{}, err
	}
	s.dropVoidReprints(tracks)
	rs := runStatus{root: j, pieces: map[int]pieceStatus{}, tracks: tracks, envs: envelopesOf(j, pieces)}
	for _, p := range pieces {
		if p.Placement != nil && p.Placement.Held {
			continue
		}
		rs.expected = append(rs.expected, p.Seq)
		rs.pieces[p.Seq] = statusOf(tracks[p.Seq])
	}
	return rs, nil
}

// with lists the expected seqs whose status is one of statuses.
func (rs runStatus) with(statuses ...string) []int {
	var out []int
	for _, s := range rs.expected {
		if slices.Contains(statuses, rs.pieces[s].status) {
			out = append(out, s)
		}
	}
	return out
}

// reconcile compares a run's expected pieces with what its line reported:
// a piece inserted twice raises an integrity alarm and holds the job;
// damaged and unread pieces are reprinted as the workflow's policy says;
// when every piece is accounted for the run is closed.
func (s *Service) reconcile(root int64) {
	s.loopMu.Lock()
	defer s.loopMu.Unlock()
	rs, err := s.runStatus(root)
	if err != nil {
		s.log.Error().Err(err).Int64("job", root).Msg("reconciling")
		return
	}
	if s.raiseAlarms(rs) || rs.root.State == spool.Held {
		return
	}
	if need := rs.with(statusReprint); len(need) > 0 {
		s.reprintByPolicy(rs, rs.wholeEnvelopes(need))
		return
	}
	if len(rs.with(statusInserted, statusDiverted, statusHandMailed, statusDelivered, statusFellBack)) == len(rs.expected) {
		s.closeRun(rs)
	}
}

// raiseAlarms holds the job for every piece inserted more than once that
// has no alarm yet, and notes the alarm in the piece's history; it reports
// whether the run has alarms.
func (s *Service) raiseAlarms(rs runStatus) bool {
	var fresh []string
	var incidents []spool.Incident
	have := map[string]bool{}
	if rs.root.Loop != nil {
		for _, a := range rs.root.Loop.Alarms {
			have[a] = true
		}
		for _, a := range rs.root.Loop.Acknowledged {
			have[ackedAlarm(a)] = true
		}
	}
	now := time.Now().UTC()
	var entries []spool.TrackEntry
	for _, d := range rs.duplicates() {
		if have[d.alarm] {
			continue
		}
		fresh = append(fresh, d.alarm)
		incidents = append(incidents, spool.Incident{Alarm: d.alarm, Pieces: d.seqs, Raised: now})
		for _, seq := range d.seqs {
			last := rs.pieces[seq].last
			entries = append(entries, spool.TrackEntry{Root: rs.root.ID, Seq: seq, Event: spool.PieceEvent{
				Time: now, Kind: spool.TrackAlarm, Job: rs.root.ID, Line: last.Line, Detail: d.alarm, File: last.File, FileLine: last.FileLine}})
		}
	}
	if len(fresh) == 0 {
		return rs.root.Loop != nil && len(rs.root.Loop.Alarms) > 0
	}
	msg := "integrity alarm: " + strings.Join(fresh, "; ")
	s.log.Error().Int64("job", rs.root.ID).Strs("alarms", fresh).Msg("integrity alarm: job held")
	if err := s.store.AddTrackEvents(entries); err != nil {
		s.log.Error().Err(err).Int64("job", rs.root.ID).Msg("noting the alarm in the pieces' histories")
	}
	s.updateLoop(rs.root.ID, func(j *spool.Job, l *spool.Loop) {
		l.Alarms = append(l.Alarms, fresh...)
		l.Incidents = append(l.Incidents, incidents...)
		j.State, j.StateReasons, j.Message = spool.Held, []string{"job-hold-until-specified"}, msg+"; the job is held"
	})
	s.store.AddEvent(spool.Event{Job: rs.root.ID, Type: eventAlarm, Reasons: []string{events.ReasonAlarmRaised}, Message: msg})
	s.pub.Flush()
	return true
}

// duplicate is one integrity alarm: the letters of one envelope inserted
// more than once.
type duplicate struct {
	alarm string
	seqs  []int
}

// duplicates lists the envelopes of the run with letters inserted more
// than once, in print order: "piece N inserted K times" for a letter
// alone in its envelope (or a run without a plan), "envelope E (pieces
// A, B) inserted K times" for a household's.
func (rs runStatus) duplicates() []duplicate {
	var out []duplicate
	done := map[int]bool{}
	for _, s := range printOrder(rs.root, rs.expected) {
		st := rs.pieces[s]
		if st.inserted < 2 || done[s] {
			continue
		}
		env := rs.envs.of[s]
		var seqs []string
		d := duplicate{}
		for _, l := range rs.envs.letters[env] {
			if rs.pieces[l].inserted > 1 && !done[l] {
				done[l] = true
				d.seqs = append(d.seqs, l)
				seqs = append(seqs, strconv.Itoa(l))
			}
		}
		if len(d.seqs) == 0 {
			d.seqs, seqs = []int{s}, []string{strconv.Itoa(s)}
		}
		what := "piece " + seqs[0]
		if len(rs.envs.letters[env]) > 1 {
			what = fmt.Sprintf("envelope %d (pieces %s)", env, strings.Join(seqs, ", "))
		}
		d.alarm = fmt.Sprintf("%s inserted %d times (last on %s, %s)", what, st.inserted, st.last.Line, st.last.File)
		out = append(out, d)
	}
	return out
}

// eventAlarm is the event type of integrity alarms.
const eventAlarm = "alarm"

// closeRun records that the line accounted for every piece of the run.
func (s *Service) closeRun(rs runStatus) {
	if rs.root.Loop != nil && rs.root.Loop.State == spool.LoopClosed {
		return
	}
	now := time.Now().UTC()
	var entries []spool.TrackEntry
	for _, s := range rs.expected {
		entries = append(entries, spool.TrackEntry{Root: rs.root.ID, Seq: s, Event: spool.PieceEvent{Time: now, Kind: spool.TrackClosed, Job: rs.root.ID, Detail: rs.pieces[s].status}})
	}
	if err := s.store.AddTrackEvents(entries); err != nil {
		s.log.Error().Err(err).Int64("job", rs.root.ID).Msg("closing the run")
		return
	}
	msg := fmt.Sprintf("closed: all %d pieces accounted for by the inserting line", len(rs.expected))
	s.updateLoop(rs.root.ID, func(j *spool.Job, l *spool.Loop) {
		l.State, l.Reason, l.Closed = spool.LoopClosed, msg, now
	})
	s.store.AddEvent(spool.Event{Job: rs.root.ID, Type: "info", Reasons: []string{events.ReasonRunClosed}, Message: msg})
	s.pub.Flush()
	s.log.Info().Int64("job", rs.root.ID).Int("pieces", len(rs.expected)).Msg("run closed")
}

// updateLoop changes a job and its loop record in one update.
func (s *Service) updateLoop(id int64, fn func(*spool.Job, *spool.Loop)) (spool.Job, error) {
	return s.pub.Update(id, func(j *spool.Job) error {
		if j.Loop == nil {
			line, _ := s.cfg.LineFor(j.Workflow, j.Printer)
			j.Loop = &spool.Loop{Line: line.Name, State: spool.LoopOpen}
		}
		fn(j, j.Loop)
		return nil
	})
}
