package testpeer

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// LPDJob is a job the LPD test server received completely, read from
// the hold file (hfA<number>) LPRng keeps for it.
type LPDJob struct {
	Number int
	// Fields are the hold file's "key=value" lines: the control file's
	// lines by their letter (J job name, P user, H host, N source name,
	// C class, L banner user) and LPRng's own (remoteport, size, ...).
	Fields    map[string]string
	DataFiles []string // paths of the received data files
}

// SpoolDir is the spool directory of queue.
func (l *LPD) SpoolDir(queue string) string { return filepath.Join(l.Dir, "spool", queue) }

// Jobs lists the complete jobs in queue, oldest first.
func (l *LPD) Jobs(t testing.TB, queue string) []LPDJob {
	t.Helper()
	spool := l.SpoolDir(queue)
	holds, err := filepath.Glob(filepath.Join(spool, "hfA*"))
	if err != nil {
		t.Fatalf("testpeer: %v", err)
	}
	var jobs []LPDJob
	for _, h := range holds {
		if job, ok := readHoldFile(h); ok {
			jobs = append(jobs, job)
		}
	}
	slices.SortFunc(jobs, func(a, b LPDJob) int {
		return cmp.Compare(jobTime(a), jobTime(b))
	})
	return jobs
}

// WaitJobs waits, for at most 30 seconds, until LPDQueue holds at least
// n complete jobs, and returns the paths of their data files, oldest job
// first.
func (l *LPD) WaitJobs(t testing.TB, n int) []string {
	t.Helper()
	var paths []string
	for _, j := range l.WaitQueueJobs(t, l.Queue, n) {
		paths = append(paths, j.DataFiles...)
	}
	return paths
}

// WaitQueueJobs waits, for at most 30 seconds, until queue holds at least
// n complete jobs, and returns Jobs. lpd files a job a moment after it
// acknowledged the last file.
func (l *LPD) WaitQueueJobs(t testing.TB, queue string, n int) []LPDJob {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		jobs := l.Jobs(t, queue)
		if len(jobs) >= n {
			return jobs
		}
		if time.Now().After(deadline) {
			t.Fatalf("testpeer: want %d complete jobs in LPD queue %s, have %d\n%s", n, queue, len(jobs), l.Log())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// readHoldFile parses an LPRng hold file. A job counts as complete when
// the file names its data files and they exist with the total size the
// file records; a hold file being written or a job still arriving does
// not.
func readHoldFile(path string) (LPDJob, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return LPDJob{}, false
	}
	job := LPDJob{Fields: map[string]string{}}
	for line := range strings.Lines(string(data)) {
		if k, v, ok := strings.Cut(strings.TrimRight(line, "\n"), "="); ok {
			job.Fields[k] = v
		}
	}
	job.Number, _ = strconv.Atoi(job.Fields["number"])
	want, err := strconv.ParseInt(job.Fields["size"], 10, 64)
	names := strings.Fields(job.Fields["datafiles"])
	if err != nil || len(names) == 0 {
		return LPDJob{}, false
	}
	var have int64
	for _, name := range names {
		// Before a job is processed, LPRng records name=tempfile.
		name, _, _ = strings.Cut(name, "=")
		p := filepath.Join(filepath.Dir(path), name)
		st, err := os.Stat(p)
		if err != nil {
			return LPDJob{}, false
		}
		have += st.Size()
		job.DataFiles = append(job.DataFiles, p)
	}
	return job, have == want
}

// jobTime is when a job arrived, in microseconds, from LPRng's job_time
// and job_time_usec (hexadecimal numbers).
func jobTime(j LPDJob) int64 {
	sec, _ := strconv.ParseInt(strings.TrimPrefix(j.Fields["job_time"], "0x"), 16, 64)
	usec, _ := strconv.ParseInt(strings.TrimPrefix(j.Fields["job_time_usec"], "0x"), 16, 64)
	return sec*1_000_000 + usec
}
