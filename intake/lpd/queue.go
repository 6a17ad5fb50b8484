package lpd

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/intake/receiver"
)

// activeStates are the states of the jobs a queue lists and removes.
var activeStates = []string{"pending", "held", "processing", "stopped"}

// queueJobs returns the active omsd jobs of queue q's workflow, oldest
// first, those of the given users or IDs only when list names any.
func (cn *conn) queueJobs(ctx context.Context, q config.ReceiverQueue, list []string) ([]api.Job, error) {
	all, err := cn.s.jobs.Jobs(ctx, api.JobQuery{States: activeStates, All: true})
	if err != nil {
		return nil, err
	}
	var out []api.Job
	for _, j := range all {
		if j.Workflow == q.Workflow && (len(list) == 0 || selected(j, list)) {
			out = append(out, j)
		}
	}
	slices.SortFunc(out, func(a, b api.Job) int { return int(a.ID - b.ID) })
	return out, nil
}

// selected reports whether list names job j by its ID or its user.
func selected(j api.Job, list []string) bool {
	id := strconv.FormatInt(j.ID, 10)
	for _, s := range list {
		if s == id || (j.User != "" && s == j.User) {
			return true
		}
	}
	return false
}

// resolveQueue finds the queue a command names, or answers that it does
// not exist.
func (cn *conn) resolveQueue(name string) (config.ReceiverQueue, bool) {
	q, ok := cn.s.cfg.ReceiverQueue(name)
	if !ok {
		cn.refuse(receiver.RefusedQueue, fmt.Sprintf("queue %q is not configured", name))
		fmt.Fprintf(cn.c, "omsd has no queue %q\n", name)
	}
	return q, ok
}

// queueState answers a 03 (short) or 04 (long) command with the omsd
// jobs of the queue's workflow.
func (cn *conn) queueState(ctx context.Context, args string, long bool) {
	f := strings.Fields(args)
	if len(f) == 0 {
		f = []string{""}
	}
	q, ok := cn.resolveQueue(f[0])
	if !ok {
		return
	}
	js, err := cn.queueJobs(ctx, q, f[1:])
	if err != nil {
		fmt.Fprintf(cn.c, "omsd cannot list its jobs now: %v\n", err)
		return
	}
	writeQueue(cn.c, q, js, long)
}

// writeQueue writes a queue listing like lpd's.
func writeQueue(w io.Writer, q config.ReceiverQueue, js []api.Job, long bool) {
	fmt.Fprintf(w, "%s is ready (omsd workflow %s), %d active jobs\n", q.Name, q.Workflow, len(js))
	if len(js) == 0 {
		fmt.Fprintln(w, "no entries")
		return
	}
	if long {
		for i, j := range js {
			fmt.Fprintf(w, "\n%s: %s  [job %d]  %s\n", owner(j), rank(i, j), j.ID, j.State)
			fmt.Fprintf(w, "\t%s  from %s  %d pages  %s\n", j.Name, firstOf(j.Origin, j.Source), j.Pages, strings.Join(j.StateReasons, ","))
		}
		return
	}
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "Rank\tOwner\tJob\tFiles\tState")
	for i, j := range js {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", rank(i, j), owner(j), j.ID, j.Name, j.State)
	}
	tw.Flush()
}

func owner(j api.Job) string { return firstOf(j.User, "-") }

// rank is lpq's rank: "active" for a job being sent, else 1st, 2nd, ...
func rank(i int, j api.Job) string {
	if j.State == "processing" {
		return "active"
	}
	n := i + 1
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}

// remove answers a 05 command "QUEUE SP AGENT [SP ID-or-USER]...": the
// agent's jobs named are canceled ("root" may cancel any); with no list,
// the agent's first job.
func (cn *conn) remove(ctx context.Context, args string) {
	f := strings.Fields(args)
	if len(f) < 2 {
		cn.refuse(receiver.RefusedProtocol, "remove jobs without an agent")
		fmt.Fprintln(cn.c, "remove jobs: name the queue and the agent")
		return
	}
	q, ok := cn.resolveQueue(f[0])
	if !ok {
		return
	}
	agent, list := f[1], f[2:]
	js, err := cn.queueJobs(ctx, q, list)
	if err != nil {
		fmt.Fprintf(cn.c, "omsd cannot list its jobs now: %v\n", err)
		return
	}
	removed := 0
	for _, j := range js {
		if agent != "root" && j.User != agent {
			if len(list) > 0 {
				fmt.Fprintf(cn.c, "job %d: not yours (it belongs to %s)\n", j.ID, owner(j))
			}
			continue
		}
		if _, err := cn.s.jobs.Cancel(ctx, j.ID); err != nil {
			fmt.Fprintf(cn.c, "job %d: %v\n", j.ID, err)
			continue
		}
		cn.log.Info().Int64("job", j.ID).Str("agent", agent).Msg("job removed by the sender (lprm)")
		fmt.Fprintf(cn.c, "job %d (%s) dequeued\n", j.ID, j.Name)
		removed++
		if len(list) == 0 {
			break
		}
	}
	if removed == 0 {
		fmt.Fprintln(cn.c, "no jobs removed")
	}
}
