package ctl

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/diskspace"
)

// runStatus: omsctl status [--json]
func runStatus(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("status", "[--json]")
	asJSON := fs.Bool("json", false, "print the status document")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("status", pos); err != nil {
		return err
	}
	st, err := e.client.Status(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e.stdout, st)
	}
	return printStatus(e.stdout, st, time.Now())
}

// printStatus writes st as labeled lines; now gives the uptime.
func printStatus(w io.Writer, st api.Status, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintf(tw, "version\t%s\n", cell(st.Version))
	fmt.Fprintf(tw, "pid\t%d\n", st.PID)
	if st.Started.IsZero() {
		fmt.Fprintf(tw, "started\t-\n")
	} else {
		fmt.Fprintf(tw, "started\t%s (up %s)\n", fmtTime(st.Started), now.Sub(st.Started).Round(time.Second))
	}
	fmt.Fprintf(tw, "state dir\t%s\n", cell(st.StateDir))
	fmt.Fprintf(tw, "jobs\t%s\n", jobCounts(st.Jobs))
	fmt.Fprintf(tw, "printers\t%s\n", list(st.Printers))
	fmt.Fprintf(tw, "workflows\t%s\n", list(st.Workflows))
	label := "hot folders"
	if len(st.HotFolders) == 0 {
		fmt.Fprintf(tw, "%s\t-\n", label)
	}
	for _, hf := range st.HotFolders {
		fmt.Fprintf(tw, "%s\t%s -> %s\n", label, cell(hf.Dir), cell(hf.Workflow))
		label = ""
	}
	label = "listeners"
	if len(st.Listeners) == 0 {
		fmt.Fprintf(tw, "%s\t-\n", label)
	}
	for _, l := range st.Listeners {
		fmt.Fprintf(tw, "%s\t%s\n", label, listenerLine(l))
		label = ""
	}
	fmt.Fprintf(tw, "intake\t%s\n", intakeLine(st.Intake))
	if st.LastReload != nil {
		fmt.Fprintf(tw, "last reload\t%s\n", reloadLine(*st.LastReload))
	}
	label = "disk"
	for _, fs := range st.Intake.Filesystems {
		fmt.Fprintf(tw, "%s\t%s\n", label, diskLine(fs))
		label = ""
	}
	return tw.Flush()
}

// listenerLine is one network receiver: where it listens, its queues,
// its connections and what it refused.
func listenerLine(l api.Listener) string {
	if l.Error != "" {
		return fmt.Sprintf("%s %s NOT LISTENING: %s", clean(l.Protocol), clean(l.Address), clean(l.Error))
	}
	s := fmt.Sprintf("%s %s queues %s; %d open, %d served", clean(l.Protocol), clean(l.Address), list(l.Queues), l.Open, l.Accepted)
	if len(l.Refused) > 0 {
		var parts []string
		for reason, n := range l.Refused {
			parts = append(parts, fmt.Sprintf("%d %s", n, clean(reason)))
		}
		sort.Strings(parts)
		s += ", refused " + strings.Join(parts, ", ")
	}
	return s
}

// intakeLine says whether omsd takes new files, and why not.
func intakeLine(in api.Intake) string {
	if !in.Paused {
		return "running"
	}
	s := "paused"
	if !in.Since.IsZero() {
		s += " since " + fmtTime(in.Since)
	}
	return s + ": " + clean(in.Reason)
}

// diskLine is the space of one filesystem omsd writes to.
func diskLine(fs api.Filesystem) string {
	s := fmt.Sprintf("%s: %s free of %s (min_free %s)", clean(fs.Path),
		diskspace.FormatBytes(fs.Free), diskspace.FormatBytes(fs.Total), diskspace.FormatBytes(fs.MinFree))
	if fs.ReadOnly {
		s += ", read-only"
	}
	return s
}

// jobCounts shows the job count per state, in IPP's order of states, with
// unknown states last.
func jobCounts(m map[string]int) string {
	var parts []string
	seen := map[string]bool{}
	for _, s := range api.JobStates {
		seen[s] = true
		if m[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", m[s], s))
		}
	}
	var other []string
	for s, n := range m {
		if !seen[s] && n > 0 {
			other = append(other, fmt.Sprintf("%d %s", n, clean(s)))
		}
	}
	sort.Strings(other)
	parts = append(parts, other...)
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// list joins names with commas, or "-".
func list(names []string) string {
	return cell(strings.Join(names, ", "))
}
