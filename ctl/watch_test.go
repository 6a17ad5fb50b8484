package ctl

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/localapi/localapitest"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// progressEvents are the progress reports of a 300-sheet job, then its end.
func progressEvents(job int64) []api.Event {
	t := localapitest.T0
	evs := []api.Event{{Seq: 1, Time: t, Job: job, Type: api.EventState, State: "processing", Reasons: []string{"job-printing"}, Message: "sending to lp1"}}
	for _, done := range []int{0, 10, 20, 35, 140, 141, 150, 299, 300} {
		evs = append(evs, api.Event{Seq: uint64(len(evs) + 1), Time: t, Job: job, Type: api.EventProgress, SheetsDone: done, Sheets: 300})
	}
	return append(evs,
		api.Event{Seq: 20, Time: t, Job: 99, Type: api.EventWarning, Message: "other job"},
		api.Event{Seq: 21, Time: t, Job: job, Type: api.EventState, State: "completed", Reasons: []string{"job-completed-successfully"}})
}

// watch runs "omsctl watch args" against a fake daemon, sends evs, ends
// the stream and returns the output and Run's error.
func watch(t *testing.T, evs []api.Event, args ...string) (string, error) {
	sock, b := serve(t)
	var out syncBuffer
	errc := make(chan error, 1)
	go func() {
		errc <- Run(context.Background(), append([]string{"--socket", sock, "watch"}, args...), &out, &out)
	}()
	if !b.WaitSubscribed(1, 5*time.Second) {
		t.Fatal("watch did not subscribe")
	}
	for _, ev := range evs {
		b.Emit(ev)
	}
	b.End()
	select {
	case err := <-errc:
		return out.String(), err
	case <-time.After(30 * time.Second):
		t.Fatal("watch did not return after the stream ended")
		return "", nil
	}
}

func TestWatchLines(t *testing.T) {
	out, err := watch(t, progressEvents(12))
	if err == nil || !strings.Contains(err.Error(), "omsd ended the event stream") {
		t.Errorf("err = %v, want the stream's end reported", err)
	}
	clock := localapitest.T0.Local().Format("15:04:05")
	want := "omsd 0.1.0-test: 2 jobs (1 held, 1 pending); watching events, Ctrl-C ends\n" +
		clock + " job 12 processing job-printing sending to lp1\n" +
		"job 12 [--------------------] 0/300 sheets\n" +
		"job 12 [##------------------] 35/300 sheets\n" + // 10 and 20 are still step 0; 35 is 11%
		"job 12 [#########-----------] 140/300 sheets\n" +
		"job 12 [##########----------] 150/300 sheets\n" + // 141 is still step 4
		"job 12 [###################-] 299/300 sheets\n" +
		"job 12 [####################] 300/300 sheets\n" +
		clock + " job 99 warning other job\n" +
		clock + " job 12 completed job-completed-successfully\n"
	if out != want {
		t.Errorf("watch:\n%s\nwant:\n%s", out, want)
	}
}

func TestWatchJSON(t *testing.T) {
	evs := progressEvents(12)
	out, _ := watch(t, evs, "--json", "--job", "12")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	var got []api.Event
	for _, l := range lines {
		var ev api.Event
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		got = append(got, ev)
	}
	if len(got) != len(evs)-1 { // all but job 99's warning
		t.Fatalf("got %d events, want %d:\n%s", len(got), len(evs)-1, out)
	}
	if got[4].SheetsDone != 35 || got[len(got)-1].State != "completed" {
		t.Errorf("events = %+v", got)
	}
}

func TestWatchInterrupt(t *testing.T) {
	sock, b := serve(t)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	var out syncBuffer
	go func() { errc <- Run(ctx, []string{"--socket", sock, "watch"}, &out, &out) }()
	if !b.WaitSubscribed(1, 5*time.Second) {
		t.Fatal("watch did not subscribe")
	}
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("watch after interrupt = %v, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("watch did not stop on interrupt")
	}
}

func TestWatchTerminal(t *testing.T) {
	var out bytes.Buffer
	p := newWatchPrinter(&out, true)
	at := localapitest.T0
	evs := []api.Event{
		{Job: 1, Type: api.EventProgress, SheetsDone: 1, Sheets: 4},
		{Job: 1, Type: api.EventProgress, SheetsDone: 2, Sheets: 4},
		{Job: 2, Type: api.EventProgress, SheetsDone: 5, Sheets: 0},
		{Time: at, Job: 2, Type: api.EventInfo, Message: "line\nbreak"},
		{Job: 1, Type: api.EventProgress, SheetsDone: 9, Sheets: 4},
	}
	for _, ev := range evs {
		if err := p.event(ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.endBar(); err != nil {
		t.Fatal(err)
	}
	// One bar per job (the events name no printer), as a block redrawn
	// in place: the cursor goes up over the block before each redraw.
	want := "\rjob 1 [#####---------------] 1/4 sheets\x1b[K\n" +
		"\x1b[1A\rjob 1 [##########----------] 2/4 sheets\x1b[K\n" +
		"\x1b[1A\rjob 1 [##########----------] 2/4 sheets\x1b[K\n\rjob 2 [--------------------] 5/? sheets\x1b[K\n" +
		at.Local().Format("15:04:05") + " job 2 info line?break\n" +
		"\rjob 1 [####################] 9/4 sheets\x1b[K\n"
	if out.String() != want {
		t.Errorf("terminal output:\n%q\nwant:\n%q", out.String(), want)
	}
}

func TestProgressBar(t *testing.T) {
	tests := []struct {
		done, total int
		want        string
		step        int
	}{
		{0, 10, "job 7 [--------------------] 0/10 sheets", 0},
		{5, 10, "job 7 [##########----------] 5/10 sheets", 5},
		{-4, 10, "job 7 [--------------------] 0/10 sheets", 0},
		{11, 10, "job 7 [####################] 11/10 sheets", 10},
		{3, 0, "job 7 [--------------------] 3/? sheets", 0},
		{3, -1, "job 7 [--------------------] 3/? sheets", 0},
	}
	for _, tt := range tests {
		ev := api.Event{Job: 7, Type: api.EventProgress, SheetsDone: tt.done, Sheets: tt.total}
		if got := progressBar(ev); got != tt.want {
			t.Errorf("progressBar(%d/%d) = %q, want %q", tt.done, tt.total, got, tt.want)
		}
		if got := step(ev); got != tt.step {
			t.Errorf("step(%d/%d) = %d, want %d", tt.done, tt.total, got, tt.step)
		}
	}
}

func TestWatchBarPerPrinter(t *testing.T) {
	var out strings.Builder
	p := newWatchPrinter(&out, true)
	for _, ev := range []api.Event{
		{Job: 1, Type: api.EventProgress, Printer: "p1", Output: "main.1", SheetsDone: 5, Sheets: 10},
		{Job: 1, Type: api.EventProgress, Printer: "p2", Output: "main.2", SheetsDone: 2, Sheets: 10},
		{Job: 1, Type: api.EventProgress, Printer: "p1", Output: "main.1", SheetsDone: 10, Sheets: 10},
	} {
		if err := p.event(ev); err != nil {
			t.Fatal(err)
		}
	}
	last := out.String()[strings.LastIndex(out.String(), "\x1b[2A"):]
	want := "\x1b[2A\rp1         job 1 main.1 [####################] 10/10 sheets\x1b[K\n" +
		"\rp2         job 1 main.2 [####----------------] 2/10 sheets\x1b[K\n"
	if last != want {
		t.Errorf("last redraw:\n%q\nwant:\n%q", last, want)
	}
}

// TestWatchEndedJob checks that watching a job that has ended says so and
// returns instead of waiting for events that will not come.
func TestWatchEndedJob(t *testing.T) {
	sock, b := serve(t)
	if _, err := b.Cancel(context.Background(), 2); err != nil {
		t.Fatal(err)
	}
	var out syncBuffer
	errc := make(chan error, 1)
	go func() {
		errc <- Run(context.Background(), []string{"--socket", sock, "watch", "--job", "2"}, &out, &out)
	}()
	select {
	case err := <-errc:
		if err != nil || !strings.Contains(out.String(), "job 2 letters.pdf: canceled") || !strings.Contains(out.String(), "has ended") {
			t.Errorf("watch --job 2 = %v\n%s", err, out.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("watch of an ended job did not return")
	}
}
