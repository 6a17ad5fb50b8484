package ipp

import (
	"context"
	"strings"

	"github.com/OpenPrinting/goipp"

	"github.com/omsd/omsd/api"
)

// metaJobUUID is the job metadata that keeps the job-uuid a client gave.
const metaJobUUID = "ipp_job_uuid"

// jobUUID is the job-uuid the request gives (CUPS gives each of its jobs
// one, and the same again when it sends the job again), "" when none.
func jobUUID(m *goipp.Message) string {
	for _, group := range []goipp.Attributes{m.Job, m.Operation} {
		for _, a := range group {
			if a.Name != "job-uuid" || len(a.Values) != 1 {
				continue
			}
			v := a.Values[0].V.String()
			if strings.HasPrefix(v, "urn:uuid:") && len(v) <= 45 {
				return v
			}
		}
	}
	return ""
}

// resent finds the job a client sends again: one received before with the
// same job-uuid whose document omsd holds (a job omsd stored and then
// stopped before its answer left). Such a document is acknowledged, not
// taken twice. A job aborted or canceled is not a match: it is taken again.
func (s *Server) resent(ctx context.Context, uuid string) (api.Job, bool) {
	if uuid == "" {
		return api.Job{}, false
	}
	jobs, err := s.backend.Jobs(ctx, api.JobQuery{All: true, Limit: 10000})
	if err != nil {
		return api.Job{}, false
	}
	for _, j := range jobs {
		if j.Source == "ipp" && j.Metadata[metaJobUUID] == uuid && j.State != "aborted" && j.State != "canceled" {
			return j, true
		}
	}
	return api.Job{}, false
}
