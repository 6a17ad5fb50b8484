package ipp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strings"

	"github.com/OpenPrinting/goipp"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/intake/receiver"
	"github.com/omsd/omsd/internal/failpoint"
)

// printJob receives a job with its document. The response goes out only
// after Submit returned: the document is in the spool and synced.
func (s *Server) printJob(req *request) *goipp.Message {
	if st, why := checkDocumentAttrs(req); st != goipp.StatusOk {
		return s.fail(req, st, why)
	}
	if j, ok := s.resent(req.http.Context(), jobUUID(req.msg)); ok {
		s.log.Info().Str("protocol", "ipp").Int64("job", j.ID).Str("peer", req.peer).
			Msg("a job sent again that omsd already holds: acknowledged, not taken twice")
		return s.jobResponse(req, j)
	}
	j, err := s.submit(req, s.submitOptions(req, 0))
	if err != nil {
		return s.submitFailed(req, err)
	}
	failpoint.Hit("ipp-before-answer")
	return s.jobResponse(req, j)
}

// validateJob checks a job's attributes as Print-Job would, without a
// document.
func (s *Server) validateJob(req *request) *goipp.Message {
	if st, why := checkDocumentAttrs(req); st != goipp.StatusOk {
		return s.fail(req, st, why)
	}
	return s.fail(req, goipp.StatusOk, "")
}

// submit reads req's document into a new omsd job.
func (s *Server) submit(req *request, opt api.SubmitOptions) (api.Job, error) {
	doc, err := openDocument(req, int64(s.cfg.MaxDocument))
	if err != nil {
		return api.Job{}, err
	}
	j, err := s.backend.Submit(req.http.Context(), opt, doc)
	if err != nil {
		return api.Job{}, documentError(err)
	}
	s.log.Info().Int64("job", j.ID).Str("peer", req.peer).Str("user", opt.User).Str("queue", req.queue.cfg.Name).
		Str("name", opt.Name).Msg("ipp: job received")
	return j, nil
}

// submitOptions are the job's options from the request and the queue's
// defaults. created is the Create-Job's job-id, 0 for Print-Job.
func (s *Server) submitOptions(req *request, created int32) api.SubmitOptions {
	q := req.queue.cfg
	name := firstOf(opString(req.msg, "job-name"), opString(req.msg, "document-name"), q.JobName, "ipp-job")
	user := firstOf(req.user, q.User, "anonymous")
	origin := fmt.Sprintf("ipp %s@%s queue %s", user, peerHost(req.peer), req.queue.name)
	if created > 0 {
		origin += fmt.Sprintf(" %s%d", createdMark, created)
	}
	sent := receiver.Sent{Name: fileName(name, req.queue.format), User: user}
	if uuid := jobUUID(req.msg); uuid != "" {
		sent.Metadata = map[string]string{metaJobUUID: uuid}
	}
	opt := receiver.Options(q, "ipp", origin, sent)
	if n := jobCopies(req.msg); n > 1 {
		opt.Copies = n
	}
	return opt
}

// submitFailed answers a Print-Job or Send-Document whose document did
// not become a job.
func (s *Server) submitFailed(req *request, err error) *goipp.Message {
	var se *statusError
	switch {
	case errors.As(err, &se):
		reason := receiver.RefusedProtocol
		if se.status == goipp.StatusErrorRequestEntity {
			reason = receiver.RefusedTooLarge
		}
		s.refuse(req.peer, reason, se.msg)
		return s.fail(req, se.status, se.msg)
	case isTimeout(err):
		s.refuse(req.peer, receiver.RefusedTimeout, "the client sent nothing for receivers.ipp.read_timeout; nothing was kept")
		return s.fail(req, goipp.StatusErrorJobCanceled, "the transfer stalled; nothing was kept")
	case errors.Is(err, context.Canceled), req.http.Context().Err() != nil:
		s.log.Warn().Str("protocol", "ipp").Str("peer", req.peer).Msg("the client went away during the document; nothing was kept")
		return s.fail(req, goipp.StatusErrorJobCanceled, "the transfer was cut off; nothing was kept")
	case errors.Is(err, api.ErrUnavailable):
		return s.fail(req, goipp.StatusErrorBusy, err.Error())
	case errors.Is(err, api.ErrBadRequest):
		return s.fail(req, goipp.StatusErrorBadRequest, err.Error())
	case errors.Is(err, api.ErrTooLarge):
		return s.fail(req, goipp.StatusErrorRequestEntity, err.Error())
	}
	s.refuse(req.peer, receiver.RefusedSpool, "receiving the document failed, nothing was kept: "+err.Error())
	return s.fail(req, goipp.StatusErrorInternal, "receiving the document failed, nothing was kept: "+err.Error())
}

// jobResponse answers with the job's identity and state.
func (s *Server) jobResponse(req *request, j api.Job) *goipp.Message {
	r := newResponse(req.msg.Version, req.msg.RequestID, goipp.StatusOk, "")
	all := s.jobAttributes(req, j)
	r.group(goipp.TagJobGroup, requested{"job-id": true, "job-uri": true, "job-state": true,
		"job-state-reasons": true, "job-state-message": true, "number-of-intervening-jobs": true}.filter(all, jobGroupOf))
	return r.msg
}

// cancelJob cancels a job of this queue: the owner (or, with
// authentication, an operator) may. Each cancel is recorded in the audit
// log.
func (s *Server) cancelJob(req *request) *goipp.Message {
	id, ok := jobIDOf(req.msg)
	if !ok {
		return s.fail(req, goipp.StatusErrorBadRequest, "job-id (or job-uri) is missing")
	}
	if c, found := s.created.get(int32(id)); found && c.omsdID == 0 {
		if st, why := s.mayAct(req, c.user); st != goipp.StatusOk {
			return s.record(req, id, s.fail(req, st, why))
		}
		if !s.created.cancel(int32(id)) {
			return s.fail(req, goipp.StatusErrorNotPossible, fmt.Sprintf("job %d is already finished", id))
		}
		return s.record(req, id, s.fail(req, goipp.StatusOk, ""))
	}
	j, err := s.findJob(req, id)
	if err != nil {
		return s.fail(req, goipp.StatusErrorNotFound, err.Error())
	}
	if st, why := s.mayAct(req, j.User); st != goipp.StatusOk {
		return s.record(req, id, s.fail(req, st, why))
	}
	if terminal(j.State) {
		return s.fail(req, goipp.StatusErrorNotPossible, fmt.Sprintf("job %d is already %s", id, j.State))
	}
	if _, err := s.backend.Cancel(req.http.Context(), j.ID); err != nil {
		if errors.Is(err, api.ErrConflict) {
			return s.record(req, id, s.fail(req, goipp.StatusErrorNotPossible, err.Error()))
		}
		return s.record(req, id, s.fail(req, goipp.StatusErrorInternal, err.Error()))
	}
	return s.record(req, id, s.fail(req, goipp.StatusOk, ""))
}

// isTimeout reports whether err is a read deadline passing.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// mayAct says whether req's user may cancel a job of owner.
func (s *Server) mayAct(req *request, owner string) (goipp.Status, string) {
	switch {
	case req.authed && (req.user == owner || req.role.Can("operator")):
		return goipp.StatusOk, ""
	case req.authed:
		return goipp.StatusErrorNotAuthorized, "only the job's owner or an operator may cancel it"
	case s.users == nil && (owner == "" || owner == "anonymous" || req.user == owner):
		return goipp.StatusOk, ""
	}
	return goipp.StatusErrorNotAuthorized, "only the job's owner may cancel it (requesting-user-name " + quoteName(req.user) + ")"
}

// terminal reports whether an omsd job state is final.
func terminal(state string) bool {
	return state == "completed" || state == "canceled" || state == "aborted"
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// fileName is the job's file name: the name given, without directories,
// with the workflow format's extension when it has none.
func fileName(name, format string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	if name == "." || name == "/" || name == "" {
		name = "ipp-job"
	}
	if filepath.Ext(name) == "" {
		name += "." + format
	}
	return name
}

// peerHost is the host of a peer address.
func peerHost(peer string) string {
	if h, _, err := net.SplitHostPort(peer); err == nil {
		return h
	}
	return peer
}
