package e2e

import (
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/omsd/omsd/internal/testpeer"
)

// TestFaultLPDSlowClients: an LPD sender that announces a 10 GB data file
// and sends 1 KB is refused at once (above receivers.lpd.max_document,
// reply 3); one that stops in the middle of its command line (slow-loris)
// and one that stops in a control file are cut off after
// receivers.lpd.idle_timeout. None leaves a job or a file, and omsd goes on
// taking jobs.
func TestFaultLPDSlowClients(t *testing.T) {
	t.Parallel()
	port := testpeer.FreePort(t)
	d := startDaemon(t, lpdConfig(port))
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	clients := map[string]string{
		"10GB announced": "\x02stmts\n" + fmt.Sprintf("\x03%d dfA001host\n", int64(10)<<30) + string(make([]byte, 1024)),
		"command line":   "\x02stm",
		"control file":   "\x02stmts\n\x0240 cfA001host\nHhost\nPal",
	}
	var wg sync.WaitGroup
	for name, send := range clients {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			defer conn.Close()
			io.WriteString(conn, send)
			// omsd must close the connection by itself; the deadline
			// here only keeps a broken server from hanging the test.
			conn.SetReadDeadline(time.Now().Add(2 * time.Minute))
			start := time.Now()
			reply, err := io.ReadAll(conn)
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Errorf("%s: omsd kept the stalled connection open", name)
			}
			if name == "10GB announced" && (len(reply) < 2 || reply[1] != 3) {
				t.Errorf("%s: omsd answered %q, want the job accepted (0) then the file refused (3)", name, reply)
			}
			t.Logf("%s: closed by omsd after %v, reply %q", name, time.Since(start).Round(100*time.Millisecond), reply)
		})
	}
	wg.Wait()
	if jobs := d.jobs(); len(jobs) != 0 {
		t.Errorf("the stalled senders left jobs: %+v", jobs)
	}
	waitFor(t, time.Minute, "the stalled senders' partial files to go", func() bool {
		return dirBytes(d.path("spool", "uploads")) == 0
	})
	data := testpeer.PDF(1)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(time.Minute))
	control := "Hhost\nPalice\nJafter\nldfA002host\n"
	ack := make([]byte, 1)
	for _, step := range []string{
		"\x02stmts\n",
		fmt.Sprintf("\x02%d cfA002host\n", len(control)), control + "\x00",
		fmt.Sprintf("\x03%d dfA002host\n", len(data)), string(data) + "\x00",
	} {
		io.WriteString(conn, step)
		if _, err := io.ReadFull(conn, ack); err != nil || ack[0] != 0 {
			t.Fatalf("after %q: ack %v (%v)", step[:min(len(step), 20)], ack, err)
		}
	}
	jobs := d.waitJobs(1, time.Minute)
	if len(jobs) != 1 || jobs[0].Name != "after" {
		t.Errorf("jobs after the stalled senders: %+v", jobs)
	}
}
