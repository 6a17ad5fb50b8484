package lpr

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
)

// Steps of a receive-job exchange, as the fake server names them.
const (
	stepReceive    = "receive job"
	stepControlCmd = "control file subcommand"
	stepControl    = "control file"
	stepDataCmd    = "data file subcommand"
	stepData       = "data file"
)

// maxFakeFile bounds what the fake server reads of one file.
const maxFakeFile = 64 << 20

// fakeLPD is an LPD server for unit tests of the driver's handling of
// answers: it speaks the receive-job exchange and answers each step as
// told. It records what it received of the first connection.
type fakeLPD struct {
	refuse  map[string]byte // step → non-zero acknowledgement
	message string          // text sent after a refusal
	stallAt string          // step the server never answers

	addr string
	got  chan fakeJob
}

// fakeJob is what the fake server received on one connection.
type fakeJob struct {
	queue         string
	control, data []byte
	aborted       bool // the client sent the abort subcommand
	err           string
}

// start listens on a loopback port and serves one connection.
func (f *fakeLPD) start(t *testing.T) *fakeLPD {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f.addr = l.Addr().String()
	f.got = make(chan fakeJob, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err := l.Accept()
		if err != nil {
			f.got <- fakeJob{err: err.Error()}
			return
		}
		defer c.Close()
		f.got <- f.serve(c)
	}()
	t.Cleanup(func() { l.Close(); <-done })
	return f
}

// hostPort splits the fake server's address for a Config.
func (f *fakeLPD) hostPort(t *testing.T) (string, int) {
	t.Helper()
	host, port, err := net.SplitHostPort(f.addr)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := strconv.Atoi(port)
	return host, p
}

// serve runs one receive-job exchange.
func (f *fakeLPD) serve(c net.Conn) fakeJob {
	r := bufio.NewReader(c)
	var job fakeJob
	line, err := r.ReadString('\n')
	if err != nil || line[0] != 2 {
		return fakeJob{err: fmt.Sprintf("bad receive-job line %q: %v", line, err)}
	}
	job.queue = strings.TrimSuffix(line[1:], "\n")
	if !f.answer(c, r, stepReceive) {
		return job
	}
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return job // client closed: done or gave up
		}
		switch line[0] {
		case 1:
			job.aborted = true
			return job
		case 2:
			if job.control, err = f.file(c, r, line, stepControlCmd, stepControl); err != nil {
				job.err = err.Error()
				return job
			}
		case 3:
			if job.data, err = f.file(c, r, line, stepDataCmd, stepData); err != nil {
				job.err = err.Error()
				return job
			}
		default:
			job.err = fmt.Sprintf("unknown subcommand %q", line)
			return job
		}
	}
}

// file answers a file subcommand and reads the file that follows.
func (f *fakeLPD) file(c net.Conn, r *bufio.Reader, line, cmdStep, fileStep string) ([]byte, error) {
	sizeText, _, _ := strings.Cut(line[1:], " ")
	size, err := strconv.Atoi(sizeText)
	if err != nil || size < 0 || size > maxFakeFile {
		return nil, fmt.Errorf("bad subcommand %q", line)
	}
	if !f.answer(c, r, cmdStep) {
		return nil, fmt.Errorf("refused %s", cmdStep)
	}
	data := make([]byte, size+1)
	if _, err := io.ReadFull(r, data); err != nil {
		return data[:0], fmt.Errorf("%s cut short: %w", fileStep, err)
	}
	if data[size] != 0 {
		return nil, fmt.Errorf("%s not ended by a zero byte", fileStep)
	}
	if !f.answer(c, r, fileStep) {
		return nil, fmt.Errorf("refused %s", fileStep)
	}
	return data[:size], nil
}

// answer acknowledges step, refuses it, or stalls; it reports whether the
// exchange goes on.
func (f *fakeLPD) answer(c net.Conn, r *bufio.Reader, step string) bool {
	if step == f.stallAt {
		io.Copy(io.Discard, r) // until the client gives up
		return false
	}
	if code := f.refuse[step]; code != 0 {
		c.Write(append([]byte{code}, f.message...))
		return false
	}
	c.Write([]byte{0})
	return true
}
