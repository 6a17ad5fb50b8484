package ipp

import (
	"fmt"

	"github.com/OpenPrinting/goipp"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/internal/failpoint"
)

// createJob makes a job that waits for its one document (Send-Document
// with last-document true).
func (s *Server) createJob(req *request) *goipp.Message {
	if st, why := checkDocumentAttrs(req); st != goipp.StatusOk {
		return s.fail(req, st, why)
	}
	opt := s.submitOptions(req, 0)
	c, err := s.created.add(opt.User, opt.Name, req.queue.name, opt.Copies)
	if err != nil {
		return s.fail(req, goipp.StatusErrorBusy, err.Error())
	}
	if j, ok := s.resent(req.http.Context(), jobUUID(req.msg)); ok {
		s.created.resend(c.id, j.ID)
		s.log.Info().Str("protocol", "ipp").Int64("job", j.ID).Str("peer", req.peer).
			Msg("a job sent again that omsd already holds: its document will be acknowledged, not taken twice")
	}
	r := newResponse(req.msg.Version, req.msg.RequestID, goipp.StatusOk, "")
	r.group(goipp.TagJobGroup, requested{"job-id": true, "job-uri": true, "job-state": true,
		"job-state-reasons": true, "number-of-intervening-jobs": true}.filter(s.createdAttributes(req, *c), jobGroupOf))
	return r.msg
}

// sendDocument receives a created job's document. Only one document per
// job: last-document must be true. The response goes out after Submit
// returned, the document in the spool and synced.
func (s *Server) sendDocument(req *request) *goipp.Message {
	id, ok := jobIDOf(req.msg)
	if !ok {
		return s.fail(req, goipp.StatusErrorBadRequest, "job-id (or job-uri) is missing")
	}
	last, ok := opBool(req.msg, "last-document")
	if !ok {
		return s.fail(req, goipp.StatusErrorBadRequest, "last-document is missing")
	}
	if !last {
		return s.fail(req, goipp.StatusErrorMultipleJobsNotSupported, "a job takes one document: send it with last-document true")
	}
	if st, why := checkDocumentAttrs(req); st != goipp.StatusOk {
		return s.fail(req, st, why)
	}
	c, st, why := s.created.begin(int32(id))
	if st != goipp.StatusOk {
		return s.fail(req, st, why)
	}
	if c.resend {
		// The document omsd already holds: read away, acknowledged.
		s.created.end(c.id, c.omsdID)
		j, err := s.findJob(req, int64(c.id))
		if err != nil {
			return s.fail(req, goipp.StatusErrorNotFound, err.Error())
		}
		return s.jobResponse(req, j)
	}
	if st, why := s.mayAct(req, c.user); st != goipp.StatusOk {
		s.created.end(c.id, 0)
		return s.fail(req, st, why)
	}
	opt := s.submitOptions(req, c.id)
	opt.Name, opt.User, opt.Copies = c.name, c.user, c.copies
	opt.Origin = fmt.Sprintf("ipp %s@%s queue %s %s%d", c.user, peerHost(req.peer), c.queue, createdMark, c.id)
	j, err := s.submit(req, opt)
	if err != nil {
		s.created.end(c.id, 0)
		return s.submitFailed(req, err)
	}
	s.created.end(c.id, j.ID)
	failpoint.Hit("ipp-before-answer")
	j.ID = int64(c.id)
	return s.jobResponse(req, j)
}

// closeJob closes a job: one that has its document is unchanged; one
// still waiting for it ends aborted, without document.
func (s *Server) closeJob(req *request) *goipp.Message {
	id, ok := jobIDOf(req.msg)
	if !ok {
		return s.fail(req, goipp.StatusErrorBadRequest, "job-id (or job-uri) is missing")
	}
	if c, found := s.created.get(int32(id)); found && c.omsdID == 0 {
		if st, why := s.mayAct(req, c.user); st != goipp.StatusOk {
			return s.fail(req, st, why)
		}
		s.created.finish(c.id, 8, "aborted-by-system")
		return s.fail(req, goipp.StatusOk, "")
	}
	if _, err := s.findJob(req, id); err != nil {
		return s.fail(req, goipp.StatusErrorNotFound, err.Error())
	}
	return s.fail(req, goipp.StatusOk, "")
}

// findJob is the omsd job an IPP job-id names: omsd's own id, or a
// created job's once its document arrived. Only jobs received over IPP
// are found.
func (s *Server) findJob(req *request, id int64) (api.Job, error) {
	omsdID := id
	if id >= CreatedJobBase {
		c, ok := s.created.get(int32(id))
		switch {
		case ok && c.omsdID != 0:
			omsdID = c.omsdID
		case ok:
			return api.Job{}, fmt.Errorf("job %d has no document yet", id)
		default:
			j, err := s.findCreated(req, int32(id))
			if err != nil {
				return api.Job{}, err
			}
			omsdID = j.ID
		}
	}
	j, err := s.backend.Job(req.http.Context(), omsdID)
	if err != nil || j.Source != "ipp" {
		return api.Job{}, fmt.Errorf("job %d not found", id)
	}
	if id >= CreatedJobBase {
		j.ID = id
	}
	return j, nil
}

// findCreated finds the omsd job of a created job this server no longer
// remembers (it restarted), by the id in the job's origin.
func (s *Server) findCreated(req *request, id int32) (api.Job, error) {
	jobs, err := s.backend.Jobs(req.http.Context(), api.JobQuery{All: true, Limit: 10000})
	if err != nil {
		return api.Job{}, err
	}
	for _, j := range jobs {
		if j.Source == "ipp" && createdIDOf(j.Origin) == id {
			return j, nil
		}
	}
	return api.Job{}, fmt.Errorf("job %d not found", id)
}
