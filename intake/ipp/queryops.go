package ipp

import (
	"sort"

	"github.com/OpenPrinting/goipp"

	"github.com/omsd/omsd/api"
)

// getJobAttributes describes one job.
func (s *Server) getJobAttributes(req *request) *goipp.Message {
	id, ok := jobIDOf(req.msg)
	if !ok {
		return s.fail(req, goipp.StatusErrorBadRequest, "job-id (or job-uri) is missing")
	}
	var list goipp.Attributes
	if c, found := s.created.get(int32(id)); found && c.omsdID == 0 {
		list = s.createdAttributes(req, c)
	} else {
		j, err := s.findJob(req, id)
		if err != nil {
			return s.fail(req, goipp.StatusErrorNotFound, err.Error())
		}
		list = s.jobAttributes(req, j)
	}
	r := newResponse(req.msg.Version, req.msg.RequestID, goipp.StatusOk, "")
	r.group(goipp.TagJobGroup, requestedOf(req.msg, "all").filter(list, jobGroupOf))
	return r.msg
}

// getJobs lists the jobs received on the queue: which-jobs
// not-completed (the default), completed or all; my-jobs only the
// requesting user's; limit; requested-attributes (job-id and job-uri by
// default).
func (s *Server) getJobs(req *request) *goipp.Message {
	which := firstOf(opString(req.msg, "which-jobs"), "not-completed")
	var states []string
	switch which {
	case "not-completed":
		states = []string{"pending", "held", "processing", "stopped"}
	case "completed":
		states = []string{"canceled", "aborted", "completed"}
	case "all":
	default:
		r := newResponse(req.msg.Version, req.msg.RequestID, goipp.StatusErrorAttributesOrValues,
			"which-jobs "+which+" is not supported; use not-completed, completed or all")
		var a attrs
		a.str("which-jobs", goipp.TagKeyword, which)
		r.group(goipp.TagUnsupportedGroup, a.list)
		return r.msg
	}
	mine, _ := opBool(req.msg, "my-jobs")
	limit, _ := opInt(req.msg, "limit")
	jobs, err := s.backend.Jobs(req.http.Context(), api.JobQuery{All: true, States: states, Limit: 1000})
	if err != nil {
		return s.fail(req, goipp.StatusErrorInternal, err.Error())
	}
	want := requestedOf(req.msg, "job-id", "job-uri")
	r := newResponse(req.msg.Version, req.msg.RequestID, goipp.StatusOk, "")
	var groups []goipp.Attributes
	var ids []int64
	for _, j := range jobs {
		if j.Source != "ipp" || originQueue(j.Origin) != req.queue.name || (mine && j.User != req.user) {
			continue
		}
		if c := createdIDOf(j.Origin); c != 0 {
			j.ID = int64(c)
		}
		groups, ids = append(groups, s.jobAttributes(req, j)), append(ids, j.ID)
	}
	for _, c := range s.created.waiting(req.queue.name) {
		if (which == "completed") == (c.state >= 7) || which == "all" {
			if !mine || c.user == req.user {
				groups, ids = append(groups, s.createdAttributes(req, c)), append(ids, int64(c.id))
			}
		}
	}
	order := make([]int, len(groups))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return ids[order[a]] > ids[order[b]] })
	for n, i := range order {
		if limit > 0 && n >= limit {
			break
		}
		r.group(goipp.TagJobGroup, want.filter(groups[i], jobGroupOf))
	}
	return r.msg
}
