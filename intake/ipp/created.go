package ipp

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/OpenPrinting/goipp"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/audit"
)

// CreatedJobBase is the first job-id Create-Job hands out. A created job
// has no omsd job until its document arrives, so its id comes from this
// range, far above omsd's own job IDs; the omsd job's origin keeps it
// ("ipp-job N") so a client polling it finds the job after a restart.
const CreatedJobBase = 1 << 30

// createdMark precedes a created job's id in the origin.
const createdMark = "ipp-job "

// maxCreated bounds the created jobs waiting for their document.
const maxCreated = 1000

// createdTimeout is multiple-operation-time-out: how long a created job
// waits for its document.
const createdTimeout = 5 * time.Minute

// created is a job made by Create-Job.
type created struct {
	id      int32
	user    string
	name    string
	queue   string
	copies  int // the job's copies, from Create-Job
	at      time.Time
	state   goipp.Integer // pending, then canceled or aborted without document
	reason  string
	omsdID  int64 // the omsd job, once the document arrived
	sending bool  // a Send-Document is receiving it
	resend  bool  // a job sent again: omsdID already holds its document
}

// createdJobs are the jobs made by Create-Job, by id.
type createdJobs struct {
	mu   sync.Mutex
	next int32
	jobs map[int32]*created
}

func newCreatedJobs(next int32) *createdJobs {
	return &createdJobs{next: next, jobs: map[int32]*created{}}
}

// nextCreatedID is the first id above every created job's id that omsd's
// jobs remember, so that ids are not reused across restarts.
func nextCreatedID(ctx context.Context, b Backend) int32 {
	next := int32(CreatedJobBase)
	jobs, err := b.Jobs(ctx, api.JobQuery{All: true, Limit: 10000})
	if err != nil {
		return next
	}
	for _, j := range jobs {
		if id := createdIDOf(j.Origin); id >= next {
			next = id + 1
		}
	}
	return next
}

// createdIDOf reads the created job's id from an omsd job's origin.
func createdIDOf(origin string) int32 {
	i := strings.LastIndex(origin, createdMark)
	if i < 0 {
		return 0
	}
	n, err := strconv.ParseInt(origin[i+len(createdMark):], 10, 32)
	if err != nil {
		return 0
	}
	return int32(n)
}

// add makes a created job; it fails when too many wait.
func (c *createdJobs) add(user, name, queue string, copies int) (*created, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.expire()
	if len(c.jobs) >= maxCreated {
		return nil, fmt.Errorf("%d created jobs wait for their documents; send the documents or try later", len(c.jobs))
	}
	j := &created{id: c.next, user: user, name: name, queue: queue, copies: copies, at: time.Now(), state: 3, reason: "job-incoming"}
	c.next++
	c.jobs[j.id] = j
	return j, nil
}

// expire aborts created jobs whose document did not come in time, and
// forgets finished ones after a while.
func (c *createdJobs) expire() {
	for id, j := range c.jobs {
		age := time.Since(j.at)
		switch {
		case j.state == 3 && !j.sending && j.omsdID == 0 && age > createdTimeout:
			j.state, j.reason = 8, "aborted-by-system"
		case age > 24*time.Hour:
			delete(c.jobs, id)
		}
	}
}

// get returns a copy of a created job.
func (c *createdJobs) get(id int32) (created, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	j, ok := c.jobs[id]
	if !ok {
		return created{}, false
	}
	return *j, true
}

// begin marks a created job as receiving its document; it fails when the
// job is not waiting for one.
func (c *createdJobs) begin(id int32) (created, goipp.Status, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	j, ok := c.jobs[id]
	switch {
	case !ok:
		return created{}, goipp.StatusErrorNotFound, fmt.Sprintf("job %d was not created here (or the server restarted before its document came); create it again", id)
	case j.resend && !j.sending:
	case j.omsdID != 0 || j.sending:
		return created{}, goipp.StatusErrorMultipleJobsNotSupported, fmt.Sprintf("job %d already has its document; a job has one document", id)
	case j.state != 3:
		return created{}, goipp.StatusErrorNotPossible, fmt.Sprintf("job %d is no longer waiting for a document", id)
	}
	j.sending = true
	return *j, goipp.StatusOk, ""
}

// resend binds a created job to the omsd job that already holds its
// document: the client sends a job again.
func (c *createdJobs) resend(id int32, omsdID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if j, ok := c.jobs[id]; ok {
		j.omsdID, j.resend = omsdID, true
	}
}

// end records how a Send-Document ended: the omsd job, or 0 when the
// document did not arrive (the job waits for another try).
func (c *createdJobs) end(id int32, omsdID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if j, ok := c.jobs[id]; ok {
		j.sending, j.omsdID = false, omsdID
	}
}

// cancel cancels a created job still waiting for its document.
func (c *createdJobs) cancel(id int32) bool {
	return c.finish(id, 7, "job-canceled-by-user")
}

// finish ends a created job waiting for its document with state.
func (c *createdJobs) finish(id int32, state goipp.Integer, reason string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	j, ok := c.jobs[id]
	if !ok || j.state != 3 || j.sending || j.omsdID != 0 {
		return false
	}
	j.state, j.reason = state, reason
	return true
}

// record writes a cancel to the audit log and returns resp.
func (s *Server) record(req *request, id int64, resp *goipp.Message) *goipp.Message {
	if s.audit == nil {
		return resp
	}
	result := "ok"
	if st := goipp.Status(resp.Code); st != goipp.StatusOk {
		result = st.String()
	}
	e := audit.Entry{Time: time.Now().UTC(), User: firstOf(req.user, "anonymous"), Role: string(req.role), Peer: req.peer,
		Action: "job.cancel", Target: fmt.Sprintf("job %d", id), Result: result, Detail: "ipp " + req.queue.name}
	if err := s.audit.Record(e); err != nil {
		s.log.Error().Err(err).Msg("ipp: recording a cancel in the audit log")
	}
	return resp
}

// waiting lists queue's created jobs that have no omsd job (waiting for
// their document, or ended without one).
func (c *createdJobs) waiting(queue string) []created {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []created
	for _, j := range c.jobs {
		if j.queue == queue && j.omsdID == 0 {
			out = append(out, *j)
		}
	}
	return out
}
