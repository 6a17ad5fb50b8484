package lpd

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/intake/receiver"
)

const control = "Hmainframe\nPalice\nJSTMT.RUN1\nCA\nLalice\nAalice@mainframe+123\nD2026-12-05-02:00:00.000\nQstmts\n" +
	"-o formdef=F1STMT pagedef=P1\x1cX  class=A\n" +
	"NSTMT.PDF\nldfA123mainframe\nUdfA123mainframe\n"

func TestControlFirst(t *testing.T) {
	ts := startServer(t, testReceivers())
	c := ts.dial(t)
	c.send("\x02stmts\n")
	c.wantAck("receive job")
	c.file(2, "cfA123mainframe", control)
	data := "%PDF-1.7 statements\x00\xff binary"
	c.file(3, "dfA123mainframe", data)
	c.c.Close()
	if ts.spool.count() != 1 {
		t.Fatalf("%d jobs, want 1", ts.spool.count())
	}
	opt := ts.spool.opts[1]
	if string(ts.spool.bodies[1]) != data {
		t.Errorf("body %q, want %q", ts.spool.bodies[1], data)
	}
	if opt.Name != "STMT.RUN1" || opt.User != "alice" || opt.Source != "lpd" || opt.Workflow != "default" ||
		!strings.HasPrefix(opt.Origin, "lpd alice@127.0.0.1:") || !strings.HasSuffix(opt.Origin, " queue stmts") {
		t.Errorf("options %+v", opt)
	}
	want := map[string]string{"lpd_host": "mainframe", "lpd_user": "alice", "lpd_job": "STMT.RUN1", "lpd_class": "A",
		"lpd_banner": "alice", "lpd_id": "alice@mainframe+123", "lpd_date": "2026-12-05-02:00:00.000", "lpd_queue": "stmts",
		"lpd_format": "l", "lpd_source": "STMT.PDF", "formdef": "F1STMT", "pagedef": "P1 X", "class": "A", "channel": "print"}
	for k, v := range want {
		if opt.Metadata[k] != v {
			t.Errorf("metadata %s = %q, want %q", k, opt.Metadata[k], v)
		}
	}
	ts.stageEmpty(t)
}

func TestDataFirstAndSeveralFiles(t *testing.T) {
	ts := startServer(t, testReceivers())
	c := ts.dial(t)
	c.send("\x02\n") // an empty queue name: the default queue
	c.wantAck("receive job")
	c.file(3, "dfA001host", "first document")
	c.file(3, "dfB001host", "second document")
	c.file(2, "cfA001host", "Hhost\nPbob\nJtwo files\nNa.pdf\nldfA001host\nNb.pdf\nldfB001host\nldfB001host\n")
	// A second job on the same connection, data first again.
	c.file(3, "dfA002host", "third")
	c.file(2, "cfA002host", "Hhost\nPbob\nJthird\nldfA002host\n")
	c.c.Close()
	if ts.spool.count() != 3 {
		t.Fatalf("%d jobs, want 3", ts.spool.count())
	}
	for id, want := range map[int64]string{1: "first document", 2: "second document", 3: "third"} {
		if string(ts.spool.bodies[id]) != want {
			t.Errorf("job %d body %q, want %q", id, ts.spool.bodies[id], want)
		}
	}
	if n := ts.spool.opts[1].Name; n != "a.pdf" {
		t.Errorf("job 1 named %q; with several data files each job takes its file's N name", n)
	}
	if c := ts.spool.opts[2].Metadata["copies"]; c != "2" || ts.spool.opts[2].Copies != 2 {
		t.Errorf("job 2 copies %q; a data file printed twice is one job with copies 2", c)
	}
	if ts.spool.opts[3].Name != "third" || ts.spool.opts[3].Workflow != "default" {
		t.Errorf("job 3 options %+v", ts.spool.opts[3])
	}
	ts.stageEmpty(t)
}

func TestStreamMode(t *testing.T) {
	for _, length := range []string{"0", "999999999999", "1099511627776", "18446744073709551615"} {
		ts := startServer(t, testReceivers())
		c := ts.dial(t)
		c.send("\x02stmts\n")
		c.wantAck("receive job")
		c.file(2, "cfA005host", "Hhost\nPcarol\nJstream\nldfA005host\n")
		c.send("\x03" + length + " dfA005host\n")
		c.wantAck("data subcommand")
		data := strings.Repeat("AFP record ", 5000)
		c.send(data)
		c.c.(*net.TCPConn).CloseWrite()
		c.wantAck("the streamed file")
		if ts.spool.count() != 1 || string(ts.spool.bodies[1]) != data {
			t.Errorf("length %s: %d jobs; the stream must be one job of every byte sent", length, ts.spool.count())
		}
	}
}

func TestDataOnlyStream(t *testing.T) {
	ts := startServer(t, testReceivers())
	c := ts.dial(t)
	c.send("\x02hold\n")
	c.wantAck("receive job")
	c.send("\x030 dfA009host\n")
	c.wantAck("data subcommand")
	c.send("no control file")
	c.c.(*net.TCPConn).CloseWrite()
	c.wantAck("the streamed file")
	if ts.spool.count() != 1 || ts.spool.opts[1].Name != "dfA009host" || !ts.spool.opts[1].Hold {
		t.Errorf("jobs %+v", ts.spool.opts)
	}
}

// TestCutOffLeavesNothing: a sender that aborts, or closes the connection
// before a job is whole, leaves no job and no staged file.
func TestCutOffLeavesNothing(t *testing.T) {
	cases := map[string]func(c *client){
		"abort after data": func(c *client) {
			c.file(3, "dfA010host", "staged")
			c.send("\x01\n")
		},
		"close in a direct data file": func(c *client) {
			c.file(2, "cfA011host", "Pdave\nldfA011host\n")
			c.send("\x031000 dfA011host\n")
			c.wantAck("data subcommand")
			c.send(strings.Repeat("x", 500))
		},
		"close before the zero octet": func(c *client) {
			c.file(2, "cfA012host", "Pdave\nldfA012host\n")
			c.send("\x035 dfA012host\n")
			c.wantAck("data subcommand")
			c.send("12345")
		},
		"close in a staged data file": func(c *client) {
			c.send("\x031000 dfA013host\n")
			c.wantAck("data subcommand")
			c.send(strings.Repeat("x", 500))
		},
		"close before the control file": func(c *client) {
			c.file(3, "dfA014host", "whole data, no control")
		},
		"close in the control file": func(c *client) {
			c.file(3, "dfA015host", "data")
			c.send("\x02100 cfA015host\nPdave\n")
		},
		"a second job's data missing": func(c *client) {
			c.file(2, "cfA016host", "Pdave\nldfA016host\nldfB016host\n")
			c.file(3, "dfA016host", "one of two")
		},
	}
	for name, send := range cases {
		t.Run(name, func(t *testing.T) {
			ts := startServer(t, testReceivers())
			c := ts.dial(t)
			c.send("\x02stmts\n")
			c.wantAck("receive job")
			send(c)
			c.c.Close()
			ts.stageEmpty(t)
			if n := ts.spool.count(); n != 0 {
				t.Errorf("%d jobs left by a cut-off job", n)
			}
		})
	}
}

func TestAbortThenNewJob(t *testing.T) {
	ts := startServer(t, testReceivers())
	c := ts.dial(t)
	c.send("\x02stmts\n")
	c.wantAck("receive job")
	c.file(3, "dfA020host", "dropped")
	c.send("\x01\n")
	c.file(2, "cfA021host", "Perin\nldfA021host\n")
	c.file(3, "dfA021host", "kept")
	c.c.Close()
	if ts.spool.count() != 1 || string(ts.spool.bodies[1]) != "kept" {
		t.Errorf("jobs %v, want only the job after the abort", ts.spool.bodies)
	}
	ts.stageEmpty(t)
}

func TestRefusals(t *testing.T) {
	rcv := testReceivers()
	rcv.DefaultQueue = ""
	ts := startServer(t, rcv)
	c := ts.dial(t)
	c.send("\x02nosuch\n")
	if code, msg := c.ack(); code != replyNoQueue || !strings.Contains(msg, "nosuch") {
		t.Errorf("unknown queue: reply %d %q, want 1", code, msg)
	}
	c = ts.dial(t)
	c.send("\x02stmts\n")
	c.wantAck("receive job")
	c.send(fmt.Sprintf("\x03%d dfA030host\n", 10<<30))
	if code, msg := c.ack(); code != replyFail || !strings.Contains(msg, "max_document") {
		t.Errorf("10 GiB announced: reply %d %q, want 3", code, msg)
	}
	c = ts.dial(t)
	c.send("\x02stmts\n")
	c.wantAck("receive job")
	c.file(2, "cfA031host", "Pfrank\nldfA031host\n")
	c.send("\x030 dfA031host\n")
	c.wantAck("data subcommand")
	c.send(strings.Repeat("y", 1<<20+1))
	c.c.(*net.TCPConn).CloseWrite()
	if code, _ := c.ack(); code != replyFail {
		t.Errorf("a stream above max_document: reply %d, want 3", code)
	}
	c = ts.dial(t)
	c.send("\x02stmts\n")
	c.wantAck("receive job")
	c.send("\x09junk\n")
	if code, _ := c.ack(); code != replyFail {
		t.Errorf("unknown subcommand: reply %d, want 3", code)
	}
	ts.spool.mu.Lock()
	ts.spool.fail = fmt.Errorf("%w: intake paused: the spool is full", api.ErrUnavailable)
	ts.spool.mu.Unlock()
	c = ts.dial(t)
	c.send("\x02stmts\n")
	c.wantAck("receive job")
	c.file(2, "cfA032host", "Pgina\nldfA032host\n")
	c.send("\x034 dfA032host\n")
	c.wantAck("data subcommand")
	c.send("data\x00")
	if code, _ := c.ack(); code != replyRetry {
		t.Errorf("spool unavailable: reply %d, want 2 (retry)", code)
	}
	st := ts.Guard().Status()
	for _, r := range []string{receiver.RefusedQueue, receiver.RefusedTooLarge, receiver.RefusedProtocol, receiver.RefusedSpool} {
		if st.Refused[r] == 0 {
			t.Errorf("refusal %s not counted: %v", r, st.Refused)
		}
	}
	if ts.spool.count() != 0 {
		t.Errorf("%d jobs from refused senders", ts.spool.count())
	}
	ts.stageEmpty(t)
}

// TestSecondFileFailsCancelsFirst: a job whose second document cannot be
// stored is not kept in part; the sender is told to retry.
func TestSecondFileFailsCancelsFirst(t *testing.T) {
	ts := startServer(t, testReceivers())
	c := ts.dial(t)
	c.send("\x02stmts\n")
	c.wantAck("receive job")
	c.file(2, "cfA040host", "Phank\nldfA040host\nldfB040host\n")
	c.file(3, "dfA040host", "one")
	ts.spool.mu.Lock()
	ts.spool.fail, ts.spool.failSkip = errors.New("storing: disk error"), 1
	ts.spool.mu.Unlock()
	c.send("\x033 dfB040host\n")
	c.wantAck("data subcommand")
	c.send("two\x00")
	if code, _ := c.ack(); code != replyRetry {
		t.Errorf("reply %d, want 2", code)
	}
	if len(ts.spool.canceled) != 1 || ts.spool.canceled[0] != 1 {
		t.Errorf("canceled %v, want the first document's job 1", ts.spool.canceled)
	}
	ts.stageEmpty(t)
}

func TestTimeouts(t *testing.T) {
	rcv := testReceivers()
	rcv.LPD.IdleTimeout = config.Duration(300 * time.Millisecond)
	rcv.LPD.MaxDocument = 16 << 30
	ts := startServer(t, rcv)

	// 10 GB announced, 1 KB sent, then silence.
	c := ts.dial(t)
	c.send("\x02stmts\n")
	c.wantAck("receive job")
	c.file(2, "cfA050host", "Pivan\nldfA050host\n")
	c.send(fmt.Sprintf("\x03%d dfA050host\n", int64(10e9)))
	c.wantAck("data subcommand")
	c.send(strings.Repeat("z", 1024))
	if _, err := io.ReadAll(c.r); err != nil {
		t.Errorf("the silent sender's connection: %v, want closed by omsd", err)
	}

	// A slow-loris sender: a byte of the command line now and then, each
	// within the idle timeout, the line never within it.
	slow := ts.dial(t)
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		io.ReadAll(slow.r)
	}()
	for i := 0; ; i++ {
		select {
		case <-closed:
			goto done
		case <-time.After(100 * time.Millisecond):
			if _, err := slow.c.Write([]byte{"\x02stmts"[i%6]}); err != nil {
				goto done
			}
		}
	}
done:
	waitFor(t, "two timeouts counted", func() bool { return ts.Guard().Status().Refused[receiver.RefusedTimeout] == 2 })
	if ts.spool.count() != 0 {
		t.Errorf("%d jobs from senders that timed out", ts.spool.count())
	}
	ts.stageEmpty(t)
}

func TestAllowList(t *testing.T) {
	rcv := testReceivers()
	rcv.LPD.Allow = []string{"10.0.0.0/8"}
	ts := startServer(t, rcv)
	c := ts.dial(t)
	c.send("\x02stmts\n")
	if b, err := c.r.ReadByte(); err == nil {
		t.Fatalf("a peer outside the allow-list got reply %d", b)
	}
	waitFor(t, "the refusal counted", func() bool { return ts.Guard().Status().Refused[receiver.RefusedNotAllowed] == 1 })
}

// TestResentAfterLostAck: the same job sent again (omsd stored it, then
// stopped before its acknowledgement left) is acknowledged, not taken
// twice; another job, or the job after it was canceled, is taken.
func TestResentAfterLostAck(t *testing.T) {
	ts := startServer(t, testReceivers())
	send := func(cf, df, data string) {
		c := ts.dial(t)
		c.send("\x02stmts\n")
		c.wantAck("receive job")
		c.file(2, cf, "Hhost\nPalice\nAalice@host+7\nl"+df+"\n")
		c.file(3, df, data)
		c.c.Close()
	}
	send("cfA007host", "dfA007host", "the run")
	send("cfA007host", "dfA007host", "the run")
	if n := ts.spool.count(); n != 1 {
		t.Fatalf("%d jobs after the same job was sent twice, want 1", n)
	}
	send("cfA007host", "dfA007host", "the ruN") // a sender reusing its job number
	if n := ts.spool.count(); n != 2 || string(ts.spool.bodies[2]) != "the ruN" {
		t.Fatalf("%d jobs; a document of other bytes under the same job number is another job", n)
	}
	send("cfA008host", "dfA008host", "the run")
	if n := ts.spool.count(); n != 3 {
		t.Fatalf("%d jobs; a job with another job number is another job", n)
	}
	ts.spool.Cancel(t.Context(), 3)
	send("cfA008host", "dfA008host", "the run")
	if n := ts.spool.count(); n != 4 {
		t.Fatalf("%d jobs; a canceled job sent again is taken again", n)
	}
	for _, unstored := range []api.Job{{State: "aborted"}, {State: "pending", StateReasons: []string{"job-incoming"}}} {
		ts.spool.mu.Lock()
		ts.spool.jobs[3].State, ts.spool.jobs[3].StateReasons = unstored.State, unstored.StateReasons
		ts.spool.mu.Unlock()
		send("cfA008host", "dfA008host", "the run")
		ts.spool.mu.Lock()
		n := len(ts.spool.jobs)
		ts.spool.jobs = ts.spool.jobs[:4]
		ts.spool.mu.Unlock()
		if n != 5 {
			t.Fatalf("%d jobs; a job sent again after its first sending was %s %v is taken again", n, unstored.State, unstored.StateReasons)
		}
	}
	// Staged (data first, several files) is recognised too.
	c := ts.dial(t)
	for range 2 {
		c.send("\x02stmts\n")
		c.wantAck("receive job")
		c.file(3, "dfA009host", "one")
		c.file(3, "dfB009host", "two")
		c.file(2, "cfA009host", "Hhost\nPbob\nldfA009host\nldfB009host\n")
		c = ts.dial(t)
	}
	if n := ts.spool.count(); n != 6 {
		t.Fatalf("%d jobs, want 6", n)
	}
}

// TestListenAddressInUse: an address omsd cannot listen on is shown in the
// status with the reason; the receiver does not end omsd.
func TestListenAddressInUse(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	rcv := testReceivers()
	rcv.LPD.Listen = taken.Addr().String()
	sp := &spool{}
	s, err := New(&config.Config{Receivers: rcv}, t.TempDir(), sp, sp, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Run(t.Context()); err != nil {
		t.Fatalf("Run: %v; an address in use must not stop omsd", err)
	}
	st := s.Guard().Status()
	if st.Address != taken.Addr().String() || !strings.Contains(st.Error, "address already in use") {
		t.Errorf("status %+v", st)
	}
}

func TestSummingReaderHashesWhatPassed(t *testing.T) {
	data := make([]byte, hashInline+2<<20+17) // past what is hashed inline
	for i := range data {
		data[i] = byte(i * 31)
	}
	meta := map[string]string{}
	sr := newSummingReader(iotest.OneByteReader(bytes.NewReader(data[:1000])), meta)
	got, err := io.ReadAll(io.MultiReader(sr, bytes.NewReader(nil)))
	if err != nil || !bytes.Equal(got, data[:1000]) {
		t.Fatalf("passed %d bytes (%v)", len(got), err)
	}
	if want := fmt.Sprintf("%x", sha256.Sum256(data[:1000])); meta["lpd_sha256"] != want {
		t.Errorf("lpd_sha256 %q, want %q", meta["lpd_sha256"], want)
	}
	meta = map[string]string{}
	sr = newSummingReader(bytes.NewReader(data), meta)
	var sink bytes.Buffer
	if _, err := io.CopyBuffer(&sink, struct{ io.Reader }{sr}, make([]byte, 100_000)); err != nil || !bytes.Equal(sink.Bytes(), data) {
		t.Fatalf("passed %d bytes (%v)", sink.Len(), err)
	}
	if want := fmt.Sprintf("%x", sha256.Sum256(data)); meta["lpd_sha256"] != want {
		t.Errorf("lpd_sha256 %q, want %q", meta["lpd_sha256"], want)
	}
	// A body cut off: stop ends the hasher, nothing is recorded.
	meta = map[string]string{}
	sr = newSummingReader(bytes.NewReader(data), meta)
	if _, err := io.ReadFull(sr, make([]byte, hashInline+1<<20)); err != nil {
		t.Fatal(err)
	}
	sr.stop()
	if len(meta) != 0 {
		t.Errorf("a body not read to its end recorded %v", meta)
	}
}
