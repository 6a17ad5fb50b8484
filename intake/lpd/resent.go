package lpd

import (
	"context"
	"encoding/hex"
	"hash"
	"io"
	"slices"
	"time"

	"github.com/omsd/omsd/api"
)

// resendWindow is how long after a job was stored the same job sent again
// is taken for a resend: a sender retries within minutes (LPRng after 10
// seconds, a few times).
const resendWindow = 15 * time.Minute

// identity are the metadata fields that together tell one sent job from
// another: the sender's host and job id, the control and data files'
// names (which carry the sender's job number), the queue, the size and
// the SHA-256 of the bytes. A sender that reuses job numbers still gets a
// different document taken.
var identity = []string{"lpd_host", "lpd_id", "lpd_control", "lpd_data", "lpd_size", "lpd_queue", "lpd_sha256"}

// resent returns the jobs stored from an earlier sending of the job whose
// documents opts describe, when omsd stored it but stopped before the
// acknowledgement left and the sender sent it again. Only a job with a
// control file and known sizes is recognised; a stream is taken again.
// Without withSum the bytes' SHA-256 is not compared: a match says the
// job may have been sent before, and its bytes must be hashed to know.
func (cn *conn) resent(ctx context.Context, opts []api.SubmitOptions, withSum bool) ([]api.Job, bool) {
	for _, o := range opts {
		if o.Metadata["lpd_control"] == "" || o.Metadata["lpd_size"] == "" {
			return nil, false
		}
	}
	recent, err := cn.s.jobs.Jobs(ctx, api.JobQuery{All: true, Limit: 500})
	if err != nil {
		return nil, false
	}
	var found []api.Job
	for _, o := range opts {
		j, ok := sameJob(recent, o, withSum)
		if !ok {
			return nil, false
		}
		found = append(found, j)
	}
	return found, true
}

func sameJob(recent []api.Job, o api.SubmitOptions, withSum bool) (api.Job, bool) {
	for _, j := range recent {
		if j.Source != "lpd" || j.Workflow != o.Workflow || !stored(j) || time.Since(j.Created) > resendWindow {
			continue
		}
		same := true
		for _, k := range identity {
			if k == "lpd_sha256" && !withSum {
				continue
			}
			if j.Metadata[k] != o.Metadata[k] {
				same = false
				break
			}
		}
		if same {
			return j, true
		}
	}
	return api.Job{}, false
}

// stored reports whether job j holds its document: not canceled, not
// aborted (a restart aborts a job whose document it did not have), and
// its intake finished.
func stored(j api.Job) bool {
	if j.State == "canceled" || j.State == "aborted" {
		return false
	}
	return !slices.Contains(j.StateReasons, "job-incoming")
}

// summingReader passes a document through to the spool and, at its end,
// puts its SHA-256 into the job's metadata (lpd_sha256): Submit creates
// the job only after the whole body was read, so the job records it.
type summingReader struct {
	r    io.Reader
	h    hash.Hash
	into map[string]string
}

func (s *summingReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	s.h.Write(p[:n])
	if err == io.EOF {
		s.into["lpd_sha256"] = hex.EncodeToString(s.h.Sum(nil))
	}
	return n, err
}
