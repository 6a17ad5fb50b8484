package lpr

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/omsd/omsd/drivers"
)

// maxStatus bounds the queue state text read from a server.
const maxStatus = 64 << 10

// maxInfo bounds Status.Info.
const maxInfo = 200

// Status asks the server for the queue's short state (RFC 1179 command
// 3) and reads the printer state from its text. An unreachable server
// gives an error wrapping drivers.ErrUnreachable.
func (d *Driver) Status(ctx context.Context) (drivers.Status, error) {
	unknown := drivers.Status{State: "unknown"}
	c, err := d.dial(ctx)
	if err != nil {
		return unknown, err
	}
	defer c.close()
	if err := c.write([]byte("\x03" + d.cfg.Queue + "\n")); err != nil {
		return unknown, fmt.Errorf("lpr: queue state of %s at %s: %w", d.cfg.Queue, d.addr, err)
	}
	if err := c.arm(); err != nil {
		return unknown, fmt.Errorf("lpr: queue state of %s at %s: %w", d.cfg.Queue, d.addr, err)
	}
	data, err := io.ReadAll(io.LimitReader(c.c, maxStatus))
	if err != nil && len(data) == 0 {
		return unknown, fmt.Errorf("lpr: queue state of %s at %s: %w", d.cfg.Queue, d.addr, c.netError("read", err))
	}
	return ParseQueueState(string(data)), nil
}

var (
	// lprngCount matches LPRng's short state: "queue@host 2 jobs".
	lprngCount = regexp.MustCompile(`(?m)^\S+@\S+\s+(\d+)\s+jobs?\b`)
	// bsdJob matches a job line of BSD lpd and cups-lpd: "active ...",
	// "1st ...", "2nd ...".
	bsdJob = regexp.MustCompile(`(?mi)^\s*(active|[0-9]+(st|nd|rd|th))\s`)
)

// Phrases in queue state texts, lower-cased.
var (
	errorPhrases    = []string{"does not exist", "unknown printer", "no such", "error:"}
	stoppedPhrases  = []string{"printing disabled", "is down"}
	rejectedPhrases = []string{"spooling disabled", "queue is turned off", "queuing is disabled"}
)

// ParseQueueState reads a printer state from the text of a short queue
// state: LPRng's "q@host 1 job (printing disabled)", or the job list of
// BSD lpd and cups-lpd. A queue that lists jobs is processing; a queue
// whose printing is disabled is stopped with the reason "paused"; a text
// that says the queue does not exist gives stopped with "other". Info is
// the text's first line.
func ParseQueueState(text string) drivers.Status {
	lower := strings.ToLower(text)
	st := drivers.Status{State: "idle", Reasons: []string{"none"}, AcceptingJobs: true, Info: firstLine(text)}
	switch {
	case strings.TrimSpace(text) == "":
		return drivers.Status{State: "unknown", Info: "empty queue state"}
	case containsAny(lower, errorPhrases):
		return drivers.Status{State: "stopped", Reasons: []string{"other"}, Info: cut(oneLine(text), maxInfo)}
	case containsAny(lower, stoppedPhrases):
		st.State, st.Reasons = "stopped", []string{"paused"}
	case countJobs(text) > 0:
		st.State = "processing"
	}
	st.AcceptingJobs = !containsAny(lower, rejectedPhrases)
	return st
}

// countJobs counts the jobs a queue state lists.
func countJobs(text string) int {
	if m := lprngCount.FindStringSubmatch(text); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return len(bsdJob.FindAllString(text, -1))
}

// firstLine is the first non-empty line of text, cut to maxInfo bytes.
func firstLine(text string) string {
	for line := range strings.Lines(text) {
		if line = oneLine(line); line != "" {
			return cut(line, maxInfo)
		}
	}
	return ""
}

// cut cuts s to at most n bytes at a character boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// containsAny reports whether s contains one of phrases.
func containsAny(s string, phrases []string) bool {
	for _, p := range phrases {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}
