package e2e

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/internal/testpeer"
)

// cupsd is a CUPS scheduler started as a plain process for a test, with
// its configuration, spool and logs under the test's directory.
type cupsd struct {
	t    *testing.T
	dir  string
	host string // 127.0.0.1:PORT, for the -h option of the CUPS commands
	cmd  *exec.Cmd
}

const cupsdConf = `LogLevel warn
Listen %s
Browsing No
BrowseLocalProtocols none
WebInterface No
DefaultAuthType None
MaxJobs 0
PreserveJobHistory Yes
PreserveJobFiles No
<Location />
  Order allow,deny
  Allow from 127.0.0.1
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
`

const cupsFilesConf = `SystemGroup root
ServerRoot %[1]s
RequestRoot %[1]s/spool
TempDir %[1]s/tmp
StateDir %[1]s/state
CacheDir %[1]s/cache
AccessLog %[1]s/access_log
ErrorLog %[1]s/error_log
PageLog %[1]s/page_log
`

// startCupsd starts cupsd (Debian package cups) and waits until it answers.
func startCupsd(t *testing.T) *cupsd {
	t.Helper()
	bin := "/usr/sbin/cupsd"
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("cupsd not found: install the Debian package cups")
	}
	pdftest.NeedTool(t, "lpadmin", "cups-client")
	dir, err := os.MkdirTemp("", "cupsd-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	t.Cleanup(func() { os.RemoveAll(dir) })
	for _, sub := range []string{"spool", "tmp", "state", "cache", "ppd"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	c := &cupsd{t: t, dir: dir, host: fmt.Sprintf("127.0.0.1:%d", testpeer.FreePort(t))}
	writeFile(t, filepath.Join(dir, "cupsd.conf"), fmt.Appendf(nil, cupsdConf, c.host))
	writeFile(t, filepath.Join(dir, "cups-files.conf"), fmt.Appendf(nil, cupsFilesConf, dir))
	c.cmd = exec.Command(bin, "-f", "-c", filepath.Join(dir, "cupsd.conf"), "-s", filepath.Join(dir, "cups-files.conf"))
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.stop)
	waitFor(t, time.Minute, "cupsd to listen", func() bool {
		conn, err := net.Dial("tcp", c.host)
		if err == nil {
			conn.Close()
		}
		return err == nil
	})
	return c
}

func (c *cupsd) stop() {
	if c.cmd.Process != nil {
		syscall.Kill(-c.cmd.Process.Pid, syscall.SIGTERM)
		c.cmd.Wait()
	}
	if c.t.Failed() {
		b, _ := os.ReadFile(filepath.Join(c.dir, "error_log"))
		c.t.Logf("cupsd error_log:\n%s", b)
	}
}

// run runs a CUPS command against this cupsd and fails the test on error.
func (c *cupsd) run(name string, args ...string) string {
	c.t.Helper()
	out, err := exec.Command(name, append([]string{"-h", c.host}, args...)...).CombinedOutput()
	if err != nil {
		c.t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// jobState is a CUPS job's job-state and job-printer-state-message (what
// the backend last said of the job), asked with ipptool.
func (c *cupsd) jobState(id string) (state, message string) {
	c.t.Helper()
	dir := c.t.TempDir()
	writeFile(c.t, filepath.Join(dir, "state.test"), []byte(`{
	OPERATION Get-Job-Attributes
	GROUP operation-attributes-tag
	ATTR charset attributes-charset utf-8
	ATTR naturalLanguage attributes-natural-language en
	ATTR uri printer-uri $uri
	ATTR integer job-id $job
	ATTR keyword requested-attributes job-state,job-printer-state-message
	STATUS successful-ok
	DISPLAY job-state
	DISPLAY job-printer-state-message
}
`))
	out, err := exec.Command("ipptool", "-t", "-d", "job="+id, "ipp://"+c.host+"/", filepath.Join(dir, "state.test")).CombinedOutput()
	if err != nil {
		c.t.Fatalf("ipptool Get-Job-Attributes on cupsd: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		line = strings.TrimSpace(line)
		if v, ok := strings.CutPrefix(line, "job-state (enum) = "); ok {
			state = v
		}
		if _, v, ok := strings.Cut(line, "job-printer-state-message ("); ok {
			_, message, _ = strings.Cut(v, " = ")
		}
	}
	return state, message
}
