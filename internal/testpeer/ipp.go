package testpeer

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// IPPFormats are the document formats the test printer accepts.
const IPPFormats = "application/pdf,application/octet-stream,application/vnd.ibm.modcap"

// okScript is the default print command: it finishes every job at once.
const okScript = "#!/bin/sh\nexit 0\n"

// IPPPrinter is a running ippeveprinter, an IPP Everywhere printer that
// keeps every document it is sent.
type IPPPrinter struct {
	URI      string // ipp://localhost:PORT/ipp/print
	SpoolDir string // where the printer keeps job files
	Port     int
	CertFile string // PEM certificate the printer presents on ipps; trust it to verify

	dir     string
	logPath string
	args    []string
	env     []string
	bin     string

	mu   sync.Mutex
	proc *process // nil while stopped
}

// Option changes how StartIPPPrinter sets up the printer.
type Option func(*ippOptions)

type ippOptions struct {
	command string // print command; empty means write script
	script  string // body of the print command script
}

// WithCommand makes the printer run path for every job instead of the
// default script that finishes at once; /bin/false makes jobs abort.
func WithCommand(path string) Option {
	return func(o *ippOptions) { o.command, o.script = path, "" }
}

// WithScript makes the printer run a /bin/sh script with the given body
// for every job. The script gets the job file as $1 and may report
// progress on stderr, e.g. `echo "ATTR: job-impressions-completed=1" >&2`.
func WithScript(body string) Option {
	return func(o *ippOptions) { o.command, o.script = "", "#!/bin/sh\n"+body+"\n" }
}

// StartIPPPrinter starts a private D-Bus system bus and an ippeveprinter
// on a free loopback port with its own spool directory, and waits until the
// printer answers. Everything is stopped in t.Cleanup.
func StartIPPPrinter(t testing.TB, opts ...Option) *IPPPrinter {
	t.Helper()
	o := ippOptions{script: okScript}
	for _, opt := range opts {
		opt(&o)
	}
	bin := lookTool(t, "ippeveprinter", "cups-ipp-utils")
	dir := t.TempDir()
	p := &IPPPrinter{
		SpoolDir: filepath.Join(dir, "spool"),
		Port:     FreePort(t),
		dir:      dir,
		logPath:  filepath.Join(dir, "ippeveprinter.log"),
		bin:      bin,
	}
	p.URI = fmt.Sprintf("ipp://localhost:%d/ipp/print", p.Port)
	command := p.setupFiles(t, o)
	p.env = append(os.Environ(), "DBUS_SYSTEM_BUS_ADDRESS="+startSystemBus(t, dir))
	p.args = []string{"-v", "-r", "off", "-p", strconv.Itoa(p.Port), "-n", "localhost",
		"-d", p.SpoolDir, "-k", "-c", command, "-K", filepath.Dir(p.CertFile),
		"-f", IPPFormats, "omsd test printer"}
	t.Cleanup(p.Stop)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("ippeveprinter log (tail):\n%s", tail(p.logPath, 40))
		}
	})
	p.Restart(t)
	return p
}

// setupFiles makes the spool and key directories and the print command,
// and returns the command's path.
func (p *IPPPrinter) setupFiles(t testing.TB, o ippOptions) string {
	t.Helper()
	keys := filepath.Join(p.dir, "keys")
	for _, d := range []string{p.SpoolDir, keys} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatalf("testpeer: %v", err)
		}
	}
	cert, err := writeServerCert(keys)
	if err != nil {
		t.Fatalf("testpeer: server certificate: %v", err)
	}
	p.CertFile = cert
	if o.command != "" {
		return o.command
	}
	script := filepath.Join(p.dir, "print.sh")
	if err := os.WriteFile(script, []byte(o.script), 0o755); err != nil {
		t.Fatalf("testpeer: print script: %v", err)
	}
	return script
}

// TLSURI is the printer's ipps URI; the printer serves IPP over TLS on the
// same port, with the certificate in CertFile.
func (p *IPPPrinter) TLSURI() string {
	return fmt.Sprintf("ipps://localhost:%d/ipp/print", p.Port)
}

// Stop stops the printer and any print command it runs. The printer can
// be started again with Restart. Stop is safe to call more than once.
func (p *IPPPrinter) Stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.proc != nil {
		p.proc.stop(5 * time.Second)
		p.proc = nil
	}
}

// Restart starts the printer again on the same port and spool directory,
// after Stop, and waits until it answers. Job ids start again at 1.
func (p *IPPPrinter) Restart(t testing.TB) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.proc != nil {
		return
	}
	logFile, err := os.OpenFile(p.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatalf("testpeer: printer log: %v", err)
	}
	defer logFile.Close()
	cmd := exec.Command(p.bin, p.args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = p.env, logFile, logFile
	proc, err := startProcess(cmd)
	if err != nil {
		t.Fatalf("testpeer: start ippeveprinter: %v", err)
	}
	p.proc = proc
	if err := p.waitReady(15 * time.Second); err != nil {
		t.Fatalf("testpeer: ippeveprinter: %v\n%s", err, tail(p.logPath, 40))
	}
}

// waitReady waits until the printer answers HTTP on its port.
func (p *IPPPrinter) waitReady(limit time.Duration) error {
	client := &http.Client{Timeout: time.Second}
	url := fmt.Sprintf("http://localhost:%d/", p.Port)
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if p.proc.exited() {
			return fmt.Errorf("exited during startup: %v", p.proc.err)
		}
		if resp, err := client.Get(url); err == nil {
			resp.Body.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("no answer on port %d within %v", p.Port, limit)
}

// jobFile matches the files ippeveprinter keeps: <id>-<name>.<ext>.
var jobFile = regexp.MustCompile(`^([0-9]+)-.*\.([A-Za-z0-9]+)$`)

// Jobs lists the document files the printer kept, sorted by job id. The
// print command's output files (.prn) are not listed.
func (p *IPPPrinter) Jobs(t testing.TB) []string {
	t.Helper()
	entries, err := os.ReadDir(p.SpoolDir)
	if err != nil {
		t.Fatalf("testpeer: read spool: %v", err)
	}
	type job struct {
		id   int
		path string
	}
	var jobs []job
	for _, e := range entries {
		m := jobFile.FindStringSubmatch(e.Name())
		if m == nil || m[2] == "prn" || !e.Type().IsRegular() {
			continue
		}
		id, _ := strconv.Atoi(m[1])
		jobs = append(jobs, job{id, filepath.Join(p.SpoolDir, e.Name())})
	}
	slices.SortFunc(jobs, func(a, b job) int {
		if a.id != b.id {
			return a.id - b.id
		}
		return strings.Compare(a.path, b.path)
	})
	paths := make([]string, len(jobs))
	for i, j := range jobs {
		paths[i] = j.path
	}
	return paths
}

// WaitJobs waits, for at most 30 seconds, until the printer kept at least
// n complete job files, and returns Jobs. A file is complete once the
// printer has started its print command for it (which it does only after
// the whole document arrived), seen by the command's .prn output file.
func (p *IPPPrinter) WaitJobs(t testing.TB, n int) []string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		jobs := p.Jobs(t)
		if countComplete(jobs) >= n {
			return jobs
		}
		if time.Now().After(deadline) {
			t.Fatalf("testpeer: want %d complete job files, have %v\n%s", n, jobs, tail(p.logPath, 40))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// countComplete counts job files whose .prn companion exists.
func countComplete(jobs []string) int {
	n := 0
	for _, j := range jobs {
		prn := strings.TrimSuffix(j, filepath.Ext(j)) + ".prn"
		if _, err := os.Stat(prn); err == nil {
			n++
		}
	}
	return n
}
