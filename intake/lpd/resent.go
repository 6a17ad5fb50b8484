package lpd

import (
	"context"
	"crypto/sha256"
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
// the job only after the whole body was read, so the job records it. The
// bytes beyond the first hashInline are hashed on a goroutine of their
// own, beside the transfer and the spool write rather than between them
// (SHA-256 at 1–2 GB/s was a third of a gigabyte's receive time): each
// chunk read is copied into one of a few buffers for the hasher, and a
// read waits for a free one when the hasher lags. stop ends the hasher
// when the body is not read to its end.
type summingReader struct {
	r      io.Reader
	into   map[string]string
	h      hash.Hash
	read   int64
	chunks chan []byte // read, to be hashed; nil until hashInline bytes were read
	free   chan []byte // hashed, to be filled again
	sum    chan string // the hex SHA-256, once chunks is closed
	ended  bool
}

const (
	// hashInline is how much of a document is hashed in the reading
	// goroutine: a small job costs no goroutine nor buffers.
	hashInline = 4 << 20
	// hashBuffers is how many chunks may wait for the hasher.
	hashBuffers = 4
)

func newSummingReader(r io.Reader, into map[string]string) *summingReader {
	return &summingReader{r: r, into: into, h: sha256.New()}
}

// startHasher moves the hashing to a goroutine of its own.
func (s *summingReader) startHasher() {
	s.chunks, s.free, s.sum = make(chan []byte, hashBuffers), make(chan []byte, hashBuffers), make(chan string, 1)
	for range hashBuffers {
		s.free <- nil
	}
	go func() {
		for c := range s.chunks {
			s.h.Write(c)
			s.free <- c
		}
		s.sum <- hex.EncodeToString(s.h.Sum(nil))
	}()
}

func (s *summingReader) Read(p []byte) (int, error) {
	if s.ended {
		return 0, io.EOF
	}
	n, err := s.r.Read(p)
	s.read += int64(n)
	switch {
	case n == 0:
	case s.chunks == nil && s.read <= hashInline:
		s.h.Write(p[:n])
	default:
		if s.chunks == nil {
			s.startHasher()
		}
		buf := <-s.free
		if cap(buf) < n {
			buf = make([]byte, n)
		}
		buf = buf[:n]
		copy(buf, p[:n])
		s.chunks <- buf
	}
	if err == io.EOF {
		s.into["lpd_sha256"] = s.stop()
	}
	return n, err
}

// stop ends the hasher and returns the sum of what was read.
func (s *summingReader) stop() string {
	if s.ended {
		return ""
	}
	s.ended = true
	if s.chunks == nil {
		return hex.EncodeToString(s.h.Sum(nil))
	}
	close(s.chunks)
	return <-s.sum
}
