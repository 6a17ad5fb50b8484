// Package ctl implements omsctl, the operator's command line for omsd. Every
// command is a thin call of the typed local API client; read commands print a
// table, or with --json the API document exactly as the daemon sent it.
//
// Run is the whole program; cmd/omsctl only wires it to the process.
package ctl

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/omsd/omsd/client"
	"github.com/omsd/omsd/version"
)

// command is one verb of omsctl.
type command struct {
	name     string
	synopsis string // arguments, as shown in the usage
	short    string // what it does, one line
	run      func(ctx context.Context, e *env, args []string) error
}

// commands lists the verbs in the order the usage shows them.
func commands() []command {
	return []command{
		{"status", "[--json]", "show the daemon's version, job counts, printers and hot folders", runStatus},
		{"submit", "FILE [--workflow W] [--hold] [--name N] [--json]", "submit a print file as a new job", runSubmit},
		{"jobs", "[--state S[,S]] [--all] [--limit N] [--before ID] [--at-risk] [--json]", "list the active jobs and the last finished ones, or those at risk of their deadline", runJobs},
		{"job", "show|hold|release|cancel ID | report ID | move ID TARGET | priority ID N | restart ID [--from-piece N|--pieces L] [--to T]", "show one job; hold, release, cancel, move, reprioritise or restart it", runJob},
		{"reprint", "JOB [--pieces 5,7-9] [--to TARGET] [--copies N] [--json]", "reprint the pieces the inserting line damaged (or those named) as a reprint job", runReprint},
		{"track", "JOB/PIECE [--json]", "show a piece's history: received, planned, printed, inserted, reprinted, closed", runTrack},
		{"archive", archiveUsage, "search, retrieve, reprint, hold, verify, reindex, expire and export the archive of sent pieces", runArchive},
		{"lines", "[--json]", "list the inserting lines: newest manifests and result files, quarantined files and the runs not yet accounted for", runLines},
		{"deliveries", "JOB [--json]", "list a job's e-mail and portal deliveries: state, attempts, Message-ID, reply, fallback", runDeliveries},
		{"plan", "JOB [--json]", "show a planned job's postage report: before and after, per carrier product and presort level", runPlan},
		{"preview", "JOB --piece N [-o FILE.png] [--json]", "draw the sheets of one piece with their inserter marks as PNG, or list the planned marks", runPreview},
		{"report", reportSynopsis, "report volumes, postage, reprints or deadlines met of the runs of a window, as a table, JSON, CSV or a chart", runReport},
		{"printers", "[--json]", "list printers: state, reasons, queued jobs and sheets, pools", runPrinters},
		{"printer", "pause|resume|enable|disable|drain NAME", "stop or start a printer's dispatch, its intake of new work, or drain it", runPrinter},
		{"watch", "[--job ID] [--json]", "follow job events live until interrupted", runWatch},
		{"devices", "usb [--json]", "list the USB printers attached to this machine (offline)", runDevices},
		{"inspect", inspectUsage, "show the pages, sheets and mail pieces of a print file, or its structured fields (offline)", runInspect},
		{"users", "add --file F --role viewer|operator|admin NAME", "add a web console user, or change one's role and password (offline; the password is read from the terminal or stdin)", runUsers},
		{"rejected", "[--limit N] [--json]", "list the newest files in the error folder: why each was rejected and what to do next", runRejected},
		{"audit", "[--user U] [--action A] [--limit N] [--json]", "list what people did through the web console: who, role, action, target, time, peer", runAudit},
		{"imb", "encode --tracking 20DIGITS [--routing ZIP] [--json]", "encode a USPS Intelligent Mail barcode (offline)", runIMB},
		{"reload", "[--json]", "have omsd read its configuration file again and apply it without a restart", runReload},
		{"version", "[--json]", "show omsctl's version and the daemon's", runVersion},
		{"completion", "bash|zsh|fish", "print a shell completion script for omsctl (offline)", runCompletion},
		{"transform", transformUsage, "render an AFP print file, or one of its mail pieces, as PDF (offline)", runTransform},
	}
}

// env is what a command works with.
type env struct {
	client *client.Client
	stdout io.Writer
	stderr io.Writer
}

// Run runs omsctl with args (without the program name), writing results to
// stdout. Errors are returned, never printed; asking for help is not an
// error.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("omsctl", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	socket := fs.String("socket", "", "`path` of omsd's socket (default $OMSD_SOCKET, else "+client.DefaultSocketPath+")")
	showVersion := fs.Bool("version", false, "print omsctl's version")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return usage(stdout)
		}
		return fmt.Errorf("%w (see omsctl help)", err)
	}
	rest := fs.Args()
	if *showVersion {
		_, err := fmt.Fprintln(stdout, "omsctl", version.String())
		return err
	}
	if len(rest) == 0 {
		usage(stderr)
		return errors.New("no command given")
	}
	if rest[0] == "help" {
		return usage(stdout)
	}
	for _, c := range commands() {
		if c.name == rest[0] {
			e := &env{client: &client.Client{Socket: *socket}, stdout: stdout, stderr: stderr}
			err := c.run(ctx, e, rest[1:])
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			return err
		}
	}
	return fmt.Errorf("unknown command %q; commands are: %s, help", rest[0], strings.Join(names(), ", "))
}

// names lists the verbs.
func names() []string {
	var ns []string
	for _, c := range commands() {
		ns = append(ns, c.name)
	}
	return ns
}

// usage writes the program's help to w.
func usage(w io.Writer) error {
	fmt.Fprint(w, "omsctl controls omsd, the output management daemon, through its local API.\n\n")
	fmt.Fprint(w, "usage: omsctl [--socket PATH] COMMAND [ARGS]\n\ncommands:\n")
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, c := range commands() {
		fmt.Fprintf(tw, "  %s %s\t%s\n", c.name, c.synopsis, c.short)
	}
	fmt.Fprintf(tw, "  help\tshow this help\n")
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nglobal flags:\n  --socket PATH  omsd's socket (default $OMSD_SOCKET, else %s, else %s)\n  --version      print omsctl's version\n\n"+
		"Flags may follow the arguments. Run \"omsctl COMMAND -h\" for a command's flags.\n", client.DefaultSocketPath, client.ServiceSocketPath)
	return err
}
