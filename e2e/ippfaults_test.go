package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/OpenPrinting/goipp"

	"golang.org/x/crypto/bcrypt"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/internal/testpeer"
)

// ippPrintJob is an encoded Print-Job request for queue, without document.
func ippPrintJob(t *testing.T, port int, queue, name string) []byte {
	t.Helper()
	m := goipp.NewRequest(goipp.DefaultVersion, goipp.OpPrintJob, 7)
	m.Operation.Add(goipp.MakeAttribute("attributes-charset", goipp.TagCharset, goipp.String("utf-8")))
	m.Operation.Add(goipp.MakeAttribute("attributes-natural-language", goipp.TagLanguage, goipp.String("en")))
	m.Operation.Add(goipp.MakeAttribute("printer-uri", goipp.TagURI, goipp.String(fmt.Sprintf("ipp://127.0.0.1:%d/ipp/print/%s", port, queue))))
	m.Operation.Add(goipp.MakeAttribute("requesting-user-name", goipp.TagName, goipp.String("faults")))
	m.Operation.Add(goipp.MakeAttribute("job-name", goipp.TagName, goipp.String(name)))
	m.Operation.Add(goipp.MakeAttribute("document-format", goipp.TagMimeType, goipp.String("application/pdf")))
	b, err := m.EncodeBytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ippPost sends a whole Print-Job with doc over HTTP and returns the
// decoded response.
func ippPost(t *testing.T, port int, queue, name string, doc []byte) *goipp.Message {
	t.Helper()
	body := append(ippPrintJob(t, port, queue, name), doc...)
	resp, err := http.Post(fmt.Sprintf("http://127.0.0.1:%d/ipp/print/%s", port, queue), "application/ipp", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("Print-Job: %v", err)
	}
	defer resp.Body.Close()
	var m goipp.Message
	if err := m.Decode(resp.Body); err != nil {
		t.Fatalf("Print-Job response (HTTP %d): %v", resp.StatusCode, err)
	}
	return &m
}

// spoolLeftovers lists the files under the spool other than the database.
func spoolLeftovers(t *testing.T, d *daemon) []string {
	t.Helper()
	var out []string
	filepath.Walk(d.path("spool"), func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && !strings.HasSuffix(p, ".db") && !strings.HasSuffix(p, ".lock") {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// TestFaultIPPClientKilledMidDocument: a client that dies part way through
// its document (connection reset) leaves no job and no file; the next
// client's job is taken.
func TestFaultIPPClientKilledMidDocument(t *testing.T) {
	t.Parallel()
	port := testpeer.FreePort(t)
	d := startDaemon(t, ippIntakeConfig(port, ""))
	doc := testpeer.PDF(50)
	sent := 0
	for _, cut := range []int{0, 1, len(doc) / 2, len(doc) - 1} {
		conn, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			t.Fatal(err)
		}
		req := ippPrintJob(t, port, "default", "cut.pdf")
		fmt.Fprintf(conn, "POST /ipp/print/default HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/ipp\r\nContent-Length: %d\r\n\r\n", len(req)+len(doc))
		conn.Write(req)
		conn.Write(doc[:cut])
		conn.(*net.TCPConn).SetLinger(0) // a reset, as when the client is killed
		conn.Close()
		sent++
	}
	resp := ippPost(t, port, "default", "whole.pdf", doc)
	if goipp.Status(resp.Code) != goipp.StatusOk {
		t.Fatalf("whole Print-Job: %v", goipp.Status(resp.Code))
	}
	jobs := d.waitJobs(1, time.Minute)
	received, doubled := 0, 0
	for _, j := range jobs {
		if j.Name == "cut.pdf" {
			received++
		}
		if j.Name == "whole.pdf" && j.State != "completed" {
			t.Errorf("the whole job is %s", j.State)
		}
	}
	if len(jobs) > 1 {
		doubled = len(jobs) - 1 - received
	}
	left := []string{}
	for _, f := range spoolLeftovers(t, d) {
		if !strings.Contains(f, fmt.Sprintf("jobs%c%d%c", filepath.Separator, jobs[0].ID, filepath.Separator)) {
			left = append(left, f)
		}
	}
	t.Logf("fault counts: sent=%d cut-off documents, received=%d jobs of them, lost=0 (none acknowledged), doubled=%d, files left=%d", sent, received, doubled, len(left))
	if received != 0 || len(jobs) != 1 || len(left) != 0 {
		t.Errorf("cut-off documents left %d jobs and files %v (jobs %+v)", received, left, jobs)
	}
}

// TestFaultIPPKillAfterAck: omsd killed right after it answered Print-Job
// has the job after its restart, once, byte for byte, and completes it.
func TestFaultIPPKillAfterAck(t *testing.T) {
	t.Parallel()
	port := testpeer.FreePort(t)
	d := startDaemon(t, ippIntakeConfig(port, ""))
	const n = 3
	docs := map[int64][]byte{}
	for i := range n {
		doc := testpeer.PDF(2 + i)
		resp := ippPost(t, port, "default", fmt.Sprintf("acked-%d.pdf", i), doc)
		if goipp.Status(resp.Code) != goipp.StatusOk {
			t.Fatalf("Print-Job %d: %v", i, goipp.Status(resp.Code))
		}
		id := int64(0)
		for _, a := range resp.Job {
			if a.Name == "job-id" {
				id = int64(a.Values[0].V.(goipp.Integer))
			}
		}
		docs[id] = doc
		if i == n-1 {
			d.kill() // at once after the last acknowledgement
		}
	}
	d.start()
	jobs := d.waitJobs(n, time.Minute)
	received, doubled := 0, 0
	seen := map[string]int{}
	for _, j := range jobs {
		seen[j.Name]++
		want, ok := docs[j.ID]
		if !ok {
			doubled++
			continue
		}
		received++
		got, err := os.ReadFile(d.path("spool", "jobs", fmt.Sprint(j.ID), "input.pdf"))
		if err != nil || !bytes.Equal(got, want) || j.State != "completed" {
			t.Errorf("job %d (%s): state %s, document %d bytes of %d (%v)", j.ID, j.Name, j.State, len(got), len(want), err)
		}
	}
	for name, c := range seen {
		if c > 1 {
			doubled += c - 1
			t.Errorf("%s taken %d times", name, c)
		}
	}
	lost := n - received
	t.Logf("fault counts: sent=%d acknowledged, received=%d, lost=%d, doubled=%d", n, received, lost, doubled)
	if lost != 0 || doubled != 0 {
		t.Errorf("lost %d, doubled %d", lost, doubled)
	}
}

// TestIPPAccessRefused: a wrong password and a client outside the
// allow-list are refused (ipptool as the client), logged with the peer
// and the reason; the right password is let in.
func TestIPPAccessRefused(t *testing.T) {
	t.Parallel()
	port := testpeer.FreePort(t)
	// A users file as omsctl writes it, with the cheapest bcrypt cost:
	// every refused attempt costs a hash, and CUPS clients retry.
	usersFile := filepath.Join(t.TempDir(), "users.yaml")
	hash, err := bcrypt.GenerateFromPassword([]byte("correct horse battery"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, usersFile, fmt.Appendf(nil, "users:\n  - {name: alice, role: operator, password: %q}\n", hash))
	d := startDaemon(t, ippIntakeConfig(port, "    users_file: "+usersFile+"\n"))
	dir := ipptoolDir(t)
	pdf := filepath.Join(dir, "job.pdf")
	writeFile(t, pdf, testpeer.PDF(1))
	uri := func(userinfo string) string {
		return fmt.Sprintf("ipp://%s127.0.0.1:%d/ipp/print/default", userinfo, port)
	}
	if got := ipptool(t, dir, uri("alice:wrong-password@"), pdf, "print-job.test"); got.passed != 0 {
		t.Errorf("a wrong password printed: %v\n%s", got, got.out)
	}
	if got := ipptool(t, dir, uri("alice:correct%20horse%20battery@"), pdf, "print-job.test"); got.passed != 1 {
		t.Errorf("the right password did not print: %v\n%s", got, got.out)
	}
	waitFor(t, time.Minute, "the refusal in omsd's log", func() bool {
		return strings.Contains(d.log(), `"reason":"authentication"`) && strings.Contains(d.log(), "wrong user name or password for alice")
	})
	jobs := d.waitJobs(1, time.Minute)
	if len(jobs) != 1 || jobs[0].User != "alice" {
		t.Errorf("jobs: %+v", jobs)
	}
	d.stop()

	// Only 10.99.0.0/16 may connect: loopback is refused.
	port2 := testpeer.FreePort(t)
	d2 := startDaemon(t, ippIntakeConfig(port2, "    allow: [10.99.0.0/16]\n"))
	if got := ipptool(t, dir, fmt.Sprintf("ipp://127.0.0.1:%d/ipp/print/default", port2), pdf, "print-job.test"); got.passed != 0 {
		t.Errorf("a client outside the allow-list printed: %v\n%s", got, got.out)
	}
	waitFor(t, time.Minute, "the refusal in omsd's log", func() bool {
		return strings.Contains(d2.log(), `"protocol":"ipp","peer":"127.0.0.1:`) && strings.Contains(d2.log(), `"reason":"not-allowed"`)
	})
	var st api.Status
	if err := json.Unmarshal([]byte(d2.ctl("status", "--json")), &st); err != nil {
		t.Fatal(err)
	}
	counted := false
	for _, l := range st.Listeners {
		if l.Protocol == "ipp" && l.Refused["not-allowed"] > 0 {
			counted = true
		}
	}
	if !counted {
		t.Errorf("omsctl status does not count the refusal: %+v", st.Listeners)
	}
	if jobs := d2.jobs(); len(jobs) != 0 {
		t.Errorf("refused client left jobs: %+v", jobs)
	}
}

// TestFaultIPPSlowClients: a client that stops sending in its headers
// (slow-loris) or in its document, and one that announces 10 GB and sends
// 1 KB, are cut off after receivers.ipp.read_timeout; none leaves a job,
// and omsd goes on serving.
func TestFaultIPPSlowClients(t *testing.T) {
	t.Parallel()
	port := testpeer.FreePort(t)
	d := startDaemon(t, ippIntakeConfig(port, ""))
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	req := ippPrintJob(t, port, "default", "slow.pdf")
	clients := map[string]func(net.Conn){
		"headers": func(c net.Conn) { io.WriteString(c, "POST /ipp/print/default HTTP/1.1\r\nHost: x\r\n") },
		"document": func(c net.Conn) {
			fmt.Fprintf(c, "POST /ipp/print/default HTTP/1.1\r\nHost: x\r\nContent-Type: application/ipp\r\nContent-Length: %d\r\n\r\n", len(req)+100000)
			c.Write(req)
			c.Write(testpeer.PDF(1)[:100])
		},
		"10GB announced": func(c net.Conn) {
			fmt.Fprintf(c, "POST /ipp/print/default HTTP/1.1\r\nHost: x\r\nContent-Type: application/ipp\r\nContent-Length: %d\r\n\r\n", int64(10)<<30)
			c.Write(req)
			c.Write(bytes.Repeat([]byte("%"), 1024))
		},
	}
	for name, send := range clients {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		send(conn)
		// The server must close the connection by itself; the deadline
		// here only keeps a broken server from hanging the test.
		conn.SetReadDeadline(time.Now().Add(2 * time.Minute))
		start := time.Now()
		_, err = io.Copy(io.Discard, bufio.NewReader(conn))
		conn.Close()
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Errorf("%s: omsd kept the stalled connection open", name)
		}
		t.Logf("%s: closed by omsd after %v", name, time.Since(start).Round(100*time.Millisecond))
	}
	if resp := ippPost(t, port, "default", "after.pdf", testpeer.PDF(1)); goipp.Status(resp.Code) != goipp.StatusOk {
		t.Errorf("Print-Job after the slow clients: %v", goipp.Status(resp.Code))
	}
	jobs := d.waitJobs(1, time.Minute)
	if len(jobs) != 1 || jobs[0].Name != "after.pdf" {
		t.Errorf("jobs: %+v", jobs)
	}
}
