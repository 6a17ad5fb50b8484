package ctl

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/localapi/localapitest"
)

// omsctl runs Run against the daemon at sock and returns its output.
func omsctl(t *testing.T, sock string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = Run(context.Background(), append([]string{"--socket", sock}, args...), &out, &errb)
	return out.String(), errb.String(), err
}

// serve starts a fake daemon and returns its socket.
func serve(t *testing.T) (string, *localapitest.Backend) {
	b := localapitest.New()
	return localapitest.Serve(t, b), b
}

// decode unmarshals the JSON output s into v, strictly.
func decode(t *testing.T, s string, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("output is not the API document: %v\n%s", err, s)
	}
}

func TestJobsTable(t *testing.T) {
	sock, b := serve(t)
	tests := []struct {
		args       []string
		want       string
		wantStates []string
	}{
		{[]string{"jobs"}, "" +
			"ID  NAME         WORKFLOW  STATE    PIECES  PAGES  SHEETS  SENT  REASONS                   FROM\n" +
			"1   inv.pdf      invoices  pending  2       3      2       0     -                         in/invoices\n" +
			"2   letters.pdf  letters   held     1       4      4       0     job-hold-until-specified  lpd alice@10.1.2.3 queue stmts\n", nil},
		{[]string{"jobs", "--state", "held"}, "" +
			"ID  NAME         WORKFLOW  STATE  PIECES  PAGES  SHEETS  SENT  REASONS                   FROM\n" +
			"2   letters.pdf  letters   held   1       4      4       0     job-hold-until-specified  lpd alice@10.1.2.3 queue stmts\n", []string{"held"}},
		{[]string{"jobs", "--state=completed,aborted"}, "" +
			"ID  NAME  WORKFLOW  STATE  PIECES  PAGES  SHEETS  SENT  REASONS  FROM\n", []string{"completed", "aborted"}},
	}
	for _, tt := range tests {
		out, _, err := omsctl(t, sock, tt.args...)
		if err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		if out != tt.want {
			t.Errorf("%v:\n%s\nwant:\n%s", tt.args, out, tt.want)
		}
		if got := b.States(); !reflect.DeepEqual(got, tt.wantStates) {
			t.Errorf("%v: daemon got states %v, want %v", tt.args, got, tt.wantStates)
		}
	}
}

func TestJSONOutput(t *testing.T) {
	sock, _ := serve(t)
	tests := []struct {
		args  []string
		into  func() any
		check func(t *testing.T, v any)
	}{
		{[]string{"status", "--json"}, func() any { return new(api.Status) }, func(t *testing.T, v any) {
			if st := v.(*api.Status); st.PID != 42 || st.Jobs["pending"] != 1 {
				t.Errorf("status = %+v", st)
			}
		}},
		{[]string{"jobs", "--json"}, func() any { return new([]api.Job) }, func(t *testing.T, v any) {
			if js := *v.(*[]api.Job); len(js) != 2 || js[1].StateReasons[0] != "job-hold-until-specified" {
				t.Errorf("jobs = %+v", js)
			}
		}},
		{[]string{"jobs", "--state", "completed", "--json"}, func() any { return new([]api.Job) }, func(t *testing.T, v any) {
			if js := *v.(*[]api.Job); js == nil || len(js) != 0 {
				t.Errorf("jobs = %#v, want an empty list", js)
			}
		}},
		{[]string{"job", "show", "1", "--json"}, func() any { return new(api.JobDetail) }, func(t *testing.T, v any) {
			if d := v.(*api.JobDetail); d.ID != 1 || len(d.PiecesDetail) != 2 || d.PiecesDetail[0].Meta["zip"] != "10115" {
				t.Errorf("detail = %+v", d)
			}
		}},
		{[]string{"printers", "--json"}, func() any { return new([]api.Printer) }, func(t *testing.T, v any) {
			if ps := *v.(*[]api.Printer); len(ps) != 2 || ps[1].Error != "directory missing" {
				t.Errorf("printers = %+v", ps)
			}
		}},
		{[]string{"job", "--json", "hold", "1"}, nil, nil}, // flags belong after the action
	}
	for _, tt := range tests {
		out, _, err := omsctl(t, sock, tt.args...)
		if tt.into == nil {
			if err == nil {
				t.Errorf("%v: no error", tt.args)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		if !strings.HasPrefix(out, "{\n  \"") && !strings.HasPrefix(out, "[\n  {") && out != "[]\n" {
			t.Errorf("%v: output is not indented JSON:\n%s", tt.args, out)
		}
		v := tt.into()
		decode(t, out, v)
		tt.check(t, v)
	}
}

func TestJobShow(t *testing.T) {
	sock, _ := serve(t)
	out, _, err := omsctl(t, sock, "job", "show", "1")
	if err != nil {
		t.Fatal(err)
	}
	created := fmtTime(localapitest.T0)
	want := "" +
		"id        1\n" +
		"name      inv.pdf\n" +
		"workflow  invoices\n" +
		"printer   lp1\n" +
		"state     pending\n" +
		"message   -\n" +
		"source    in/invoices\n" +
		"pieces    2\n" +
		"pages     3\n" +
		"sheets    2 (0 sent)\n" +
		"attempts  0\n" +
		"priority  0\n" +
		"created   " + created + "\n" +
		"updated   " + created + "\n" +
		"\npieces (2):\n" +
		"SEQ  FIRST  PAGES  SHEETS  META\n" +
		"1    1      2      1       name=Ann zip=10115\n" +
		"2    3      1      1       -\n" +
		"\nevents (last 1 of 1):\n" +
		"TIME                 TYPE   STATE    REASONS  MESSAGE\n" +
		created + "  state  pending  -        taken in\n"
	if out != want {
		t.Errorf("job show:\n%s\nwant:\n%s", out, want)
	}
}

func TestStatusText(t *testing.T) {
	sock, _ := serve(t)
	out, _, err := omsctl(t, sock, "status")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"version      0.1.0-test\n",
		"pid          42\n",
		"started      " + fmtTime(localapitest.T0) + " (up ",
		"jobs         1 pending, 1 held\n",
		"printers     lp1\n",
		"workflows    invoices, letters\n",
		"hot folders  in/invoices -> invoices\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("status output lacks %q:\n%s", want, out)
		}
	}
}

func TestJobCounts(t *testing.T) {
	tests := []struct {
		m    map[string]int
		want string
	}{
		{nil, "none"},
		{map[string]int{"completed": 3, "pending": 1, "held": 0}, "1 pending, 3 completed"},
		{map[string]int{"weird": 2, "aborted": 1}, "1 aborted, 2 weird"},
	}
	for _, tt := range tests {
		if got := jobCounts(tt.m); got != tt.want {
			t.Errorf("jobCounts(%v) = %q, want %q", tt.m, got, tt.want)
		}
	}
}

func TestPrintersTable(t *testing.T) {
	sock, _ := serve(t)
	out, _, err := omsctl(t, sock, "printers")
	if err != nil {
		t.Fatal(err)
	}
	want := "" +
		"NAME  DRIVER  STATE    OMSD   ACCEPTING  JOBS  SHEETS  POOLS  URI/REASONS\n" +
		"lp1   ipp     idle     ready  yes        2     0       -      ipp://localhost:8631/ipp/print\n" +
		"out   file    stopped  ready  no         0     0       -      media-empty error: directory missing\n" +
		"\nreceiving as a print server:\n" +
		"  lpd 127.0.0.1:5515 queues invoices, letters; 0 open, 3 served\n"
	if out != want {
		t.Errorf("printers:\n%s\nwant:\n%s", out, want)
	}
}

func TestSubmit(t *testing.T) {
	sock, b := serve(t)
	file := filepath.Join(t.TempDir(), "march.pdf")
	if err := os.WriteFile(file, []byte("%PDF-1.7 march"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args    []string
		want    string
		wantOpt api.SubmitOptions
	}{
		{[]string{"submit", file}, "job 3 pending\n", api.SubmitOptions{Name: "march.pdf"}},
		{[]string{"submit", "--hold", file, "--workflow", "invoices", "--name=N1"}, "job 4 held\n",
			api.SubmitOptions{Name: "N1", Workflow: "invoices", Hold: true}},
	}
	for _, tt := range tests {
		out, _, err := omsctl(t, sock, tt.args...)
		if err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		if out != tt.want {
			t.Errorf("%v: %q, want %q", tt.args, out, tt.want)
		}
		opt, body := b.Submitted()
		if !reflect.DeepEqual(opt, tt.wantOpt) || string(body) != "%PDF-1.7 march" {
			t.Errorf("%v: daemon got %+v %q", tt.args, opt, body)
		}
	}
	out, _, err := omsctl(t, sock, "submit", file, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var j api.Job
	decode(t, out, &j)
	if j.ID != 5 || j.Name != "march.pdf" || j.Source != "api" {
		t.Errorf("submit --json = %+v", j)
	}
}

func TestJobActions(t *testing.T) {
	sock, b := serve(t)
	tests := []struct {
		args    []string
		want    string
		errIs   error
		errHas  string
		id      int64
		wantNow string
	}{
		{[]string{"job", "hold", "1"}, "job 1 held\n", nil, "", 1, "held"},
		{[]string{"job", "hold", "1"}, "", api.ErrConflict, "job hold 1: omsd: job 1 is held", 1, "held"},
		{[]string{"job", "release", "1"}, "job 1 pending\n", nil, "", 1, "pending"},
		{[]string{"job", "cancel", "2"}, "job 2 canceled\n", nil, "", 2, "canceled"},
		{[]string{"job", "cancel", "9"}, "", api.ErrNotFound, "job 9", 9, ""},
		{[]string{"job", "show", "9"}, "", api.ErrNotFound, "job show 9", 9, ""},
	}
	for _, tt := range tests {
		out, _, err := omsctl(t, sock, tt.args...)
		if tt.errIs != nil {
			if !errors.Is(err, tt.errIs) || !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("%v: err = %v, want %v containing %q", tt.args, err, tt.errIs, tt.errHas)
			}
		} else if err != nil || out != tt.want {
			t.Errorf("%v: %q, %v; want %q", tt.args, out, err, tt.want)
		}
		if got := b.JobState(tt.id); got != tt.wantNow {
			t.Errorf("%v: job %d is %q, want %q", tt.args, tt.id, got, tt.wantNow)
		}
	}
}

func TestArgumentErrors(t *testing.T) {
	sock, _ := serve(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{}, "no command given"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"; commands are: status, submit`},
		{[]string{"--nosuch", "jobs"}, "flag provided but not defined: -nosuch"},
		{[]string{"jobs", "--nosuch"}, "jobs: flag provided but not defined: -nosuch (see omsctl jobs -h)"},
		{[]string{"jobs", "extra"}, `jobs: want , got 1 argument(s): ["extra"]`},
		{[]string{"jobs", "--state", "done"}, `bad state "done"`},
		{[]string{"status", "--json=maybe"}, "invalid boolean value"},
		{[]string{"submit"}, "submit: want FILE, got 0 argument(s)"},
		{[]string{"submit", "a.pdf", "b.pdf"}, "submit: want FILE, got 2 argument(s)"},
		{[]string{"submit", "/nonexistent/a.pdf"}, "submit: open /nonexistent/a.pdf: no such file or directory"},
		{[]string{"submit", "a.pdf", "--workflow"}, "flag needs an argument: -workflow"},
		{[]string{"job"}, "job: want one of show, report, hold, release, cancel, move, priority, restart, ack, then a job ID"},
		{[]string{"job", "explode", "1"}, `job: unknown action "explode"`},
		{[]string{"job", "show"}, "job show: want ID, got 0 argument(s)"},
		{[]string{"job", "show", "abc"}, `job show: bad job id "abc": want a positive integer`},
		{[]string{"job", "hold", "0"}, `job hold: bad job id "0"`},
		{[]string{"job", "cancel", "1", "2"}, "job cancel: want ID, got 2 argument(s)"},
		{[]string{"watch", "--job", "-3"}, "watch: bad job id -3"},
		{[]string{"watch", "--job", "x"}, "invalid value"},
	}
	for _, tt := range tests {
		out, _, err := omsctl(t, sock, tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want it to contain %q", tt.args, err, tt.want)
		}
		if out != "" {
			t.Errorf("%q: wrote to stdout on error: %q", tt.args, out)
		}
	}
}

func TestHelp(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"help"}, []string{"usage: omsctl [--socket PATH] COMMAND", "  status [--json]", "  watch [--job ID] [--json]", "--socket PATH"}},
		{[]string{"-h"}, []string{"commands:", "  job show|hold|release|cancel ID"}},
		{[]string{"jobs", "-h"}, []string{"usage: omsctl jobs [--state S[,S]] [--all] [--limit N] [--before ID] [--at-risk] [--json]", "-state states"}},
		{[]string{"job", "show", "--help"}, []string{"usage: omsctl job show ID [--json]", "-json"}},
		{[]string{"job", "-h"}, []string{"usage: omsctl job show|hold|release|cancel ID"}},
		{[]string{"submit", "-h"}, []string{"-workflow workflow", "-hold"}},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		if err := Run(context.Background(), tt.args, &out, &errb); err != nil {
			t.Errorf("%v: %v", tt.args, err)
		}
		if n := strings.Count(out.String(), "usage:"); n != 1 {
			t.Errorf("%v: usage printed %d times:\n%s", tt.args, n, out.String())
		}
		for _, w := range tt.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("%v: help lacks %q:\n%s", tt.args, w, out.String())
			}
		}
	}
}

func TestDaemonNotRunning(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "omsd.sock")
	_, _, err := omsctl(t, sock, "jobs")
	if !errors.Is(err, api.ErrDaemonNotRunning) {
		t.Fatalf("err = %v, want ErrDaemonNotRunning", err)
	}
	if !strings.Contains(err.Error(), "omsd is not running (no daemon at "+sock+")") || !strings.Contains(err.Error(), "--socket") {
		t.Errorf("err = %q", err)
	}
}

func TestStatusListeners(t *testing.T) {
	st := api.Status{Listeners: []api.Listener{{Protocol: "lpd", Address: "127.0.0.1:5515", Queues: []string{"default", "afp"},
		Open: 1, Accepted: 7, Refused: map[string]int64{"not-allowed": 2, "timeout": 1}}}}
	var b strings.Builder
	if err := printStatus(&b, st, time.Now()); err != nil {
		t.Fatal(err)
	}
	want := "listeners    lpd 127.0.0.1:5515 queues default, afp; 1 open, 7 served, refused 1 timeout, 2 not-allowed\n"
	if !strings.Contains(b.String(), want) {
		t.Errorf("status lacks %q:\n%s", want, b.String())
	}
	b.Reset()
	printStatus(&b, api.Status{}, time.Now())
	if !strings.Contains(b.String(), "listeners    -\n") {
		t.Errorf("status without listeners:\n%s", b.String())
	}
}

func TestStatusIntakePaused(t *testing.T) {
	st := api.Status{Intake: api.Intake{
		Paused: true, Reason: "only 1.0 MiB free on /srv/spool (of 8.0 MiB; spool.min_free is 2.0 MiB)",
		Filesystems: []api.Filesystem{{Path: "/srv/spool", Free: 1 << 20, Total: 8 << 20, MinFree: 2 << 20}},
	}}
	var b strings.Builder
	if err := printStatus(&b, st, time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"intake       paused: only 1.0 MiB free on /srv/spool",
		"disk         /srv/spool: 1.0 MiB free of 8.0 MiB (min_free 2.0 MiB)\n",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("status lacks %q:\n%s", want, b.String())
		}
	}
	b.Reset()
	printStatus(&b, api.Status{}, time.Now())
	if !strings.Contains(b.String(), "intake       running\n") {
		t.Errorf("status of a running intake:\n%s", b.String())
	}
}

func TestJobsPaging(t *testing.T) {
	sock, b := serve(t)
	out, stderr, err := omsctl(t, sock, "jobs", "--all", "--limit", "1")
	if err != nil {
		t.Fatal(err)
	}
	if q := b.Query(); !q.All || q.Limit != 1 || q.Before != 0 {
		t.Errorf("daemon got %+v, want all with limit 1", q)
	}
	if !strings.Contains(out, "letters.pdf") || strings.Contains(out, "inv.pdf") {
		t.Errorf("page:\n%s", out)
	}
	if want := "older jobs: omsctl jobs --all --limit 1 --before 2\n"; stderr != want {
		t.Errorf("stderr = %q, want %q", stderr, want)
	}
	out, stderr, err = omsctl(t, sock, "jobs", "--all", "--limit", "1", "--before", "2")
	if err != nil || !strings.Contains(out, "inv.pdf") || b.Query().Before != 2 {
		t.Errorf("second page: %v\n%s (query %+v)", err, out, b.Query())
	}
	if _, stderr, _ = omsctl(t, sock, "jobs"); stderr != "" {
		t.Errorf("a listing that fits: stderr %q", stderr)
	}
}

func TestJobHeaderCompacted(t *testing.T) {
	var b bytes.Buffer
	at := localapitest.T0.Add(7 * 24 * time.Hour)
	if err := printJobHeader(&b, api.Job{ID: 3, Name: "a.pdf", State: "completed", Compacted: at}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "compacted  "+fmtTime(at)+" (print data, pieces and events removed after spool.retention)") {
		t.Errorf("header:\n%s", b.String())
	}
}
