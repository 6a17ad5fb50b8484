package testpeer

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// lpdSend sends one job to queue with a hand-written RFC 1179 exchange,
// independent of the driver under test, and returns the first refusing
// acknowledgement byte (0 when the job was taken) and the text after it.
func lpdSend(t *testing.T, l *LPD, queue string, number int, name string, data []byte) (byte, string) {
	t.Helper()
	c, err := net.DialTimeout("tcp", net.JoinHostPort(l.Host, strconv.Itoa(l.Port)), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	ctl := fmt.Sprintf("Htesthost\nPtester\nJ%s\nldfA%03dtesthost\nUdfA%03dtesthost\nN%s\n", name, number, number, name)
	steps := []string{
		"\x02" + queue + "\n",
		fmt.Sprintf("\x02%d cfA%03dtesthost\n", len(ctl), number), ctl + "\x00",
		fmt.Sprintf("\x03%d dfA%03dtesthost\n", len(data), number), string(data) + "\x00",
	}
	for _, s := range steps {
		if _, err := io.WriteString(c, s); err != nil {
			t.Fatal(err)
		}
		ack, err := r.ReadByte()
		if err != nil {
			t.Fatalf("reading acknowledgement: %v", err)
		}
		if ack != 0 {
			rest, _ := io.ReadAll(r)
			return ack, string(rest)
		}
	}
	return 0, ""
}

// lpdQuery sends a queue state command (3 short, 4 long) and returns the
// answer.
func lpdQuery(t *testing.T, l *LPD, cmd byte, queue string) string {
	t.Helper()
	c, err := net.DialTimeout("tcp", net.JoinHostPort(l.Host, strconv.Itoa(l.Port)), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(c, "%c%s\n", cmd, queue)
	out, err := io.ReadAll(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestLPDKeepsJobs(t *testing.T) {
	l := StartLPD(t)
	docs := [][]byte{PDF(2), bytes.Repeat([]byte{0, 1, 2, 0xff, '\n'}, 100_000), []byte("third")}
	for i, data := range docs {
		if ack, msg := lpdSend(t, l, l.Queue, 100+i, fmt.Sprintf("job %d", i), data); ack != 0 {
			t.Fatalf("job %d refused with %d: %s", i, ack, msg)
		}
	}
	paths := l.WaitJobs(t, len(docs))
	if len(paths) != len(docs) {
		t.Fatalf("data files %v, want %d", paths, len(docs))
	}
	for i, p := range paths {
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, docs[i]) {
			t.Errorf("job %d: %s holds %d bytes, differing from the %d sent", i, p, len(got), len(docs[i]))
		}
	}
	jobs := l.Jobs(t, l.Queue)
	if jobs[0].Number != 100 || jobs[0].Fields["J"] != "job 0" || jobs[0].Fields["P"] != "tester" {
		t.Errorf("first job = %d %v, want number 100, J job 0, P tester", jobs[0].Number, jobs[0].Fields)
	}
}

func TestLPDQueues(t *testing.T) {
	l := StartLPD(t)
	if ack, msg := lpdSend(t, l, LPDClosedQueue, 1, "x", []byte("x")); ack != 2 || !strings.Contains(msg, "spooling disabled") {
		t.Errorf("closed queue: ack %d %q, want 2 and spooling disabled", ack, msg)
	}
	if ack, msg := lpdSend(t, l, "nosuch", 2, "x", []byte("x")); ack != 3 || !strings.Contains(msg, "does not exist") {
		t.Errorf("unknown queue: ack %d %q, want 3 and does not exist", ack, msg)
	}
	if ack, msg := lpdSend(t, l, LPDStoppedQueue, 3, "held job", []byte("held")); ack != 0 {
		t.Fatalf("stopped queue refused a job: %d %s", ack, msg)
	}
	l.WaitQueueJobs(t, LPDStoppedQueue, 1)
	if got := lpdQuery(t, l, 3, LPDStoppedQueue); !strings.Contains(got, "1 job") || !strings.Contains(got, "printing disabled") {
		t.Errorf("stopped queue state %q, want 1 job, printing disabled", got)
	}
	if got := lpdQuery(t, l, 3, l.Queue); !strings.Contains(got, "0 jobs") {
		t.Errorf("queue state %q, want 0 jobs", got)
	}
	if jobs := l.Jobs(t, l.Queue); len(jobs) != 0 {
		t.Errorf("queue %s holds %d jobs, want none", l.Queue, len(jobs))
	}
}

func TestLPDStop(t *testing.T) {
	l := StartLPD(t)
	l.Stop()
	addr := net.JoinHostPort(l.Host, strconv.Itoa(l.Port))
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Fatalf("lpd still answers on %s after Stop", addr)
	}
}
