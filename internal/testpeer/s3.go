package testpeer

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// S3 is a real S3-compatible object store: the Versity S3 Gateway
// (github.com/versity/versitygw, tools/go.mod) over a POSIX directory,
// on loopback, with one access key. A bucket B's object K is the file
// Root/B/K.
type S3 struct {
	Endpoint      string // 127.0.0.1:PORT, plain HTTP
	Root          string
	AccessKey     string
	SecretKeyFile string
	bin, logPath  string
	port          int
	proc          *process
}

// StartS3 starts the gateway and stops it when the test ends.
func StartS3(t testing.TB) *S3 {
	t.Helper()
	dir := t.TempDir()
	s := &S3{Root: filepath.Join(dir, "root"), AccessKey: "omsdtest", SecretKeyFile: filepath.Join(dir, "secret"),
		bin: GoTool(t, "versitygw"), logPath: filepath.Join(dir, "versitygw.log"), port: FreePort(t)}
	s.Endpoint = "127.0.0.1:" + strconv.Itoa(s.port)
	if err := os.MkdirAll(s.Root, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.SecretKeyFile, []byte("omsd-test-secret-key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s.Start(t)
	t.Cleanup(s.Kill)
	return s
}

// Start (re)starts the gateway on the same port and directory.
func (s *S3) Start(t testing.TB) {
	t.Helper()
	logf, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.Command(s.bin, "--access", s.AccessKey, "--secret", "omsd-test-secret-key", "--port", s.Endpoint, "--quiet", "posix", s.Root)
	cmd.Stdout, cmd.Stderr = logf, logf
	if s.proc, err = startProcess(cmd); err != nil {
		t.Fatalf("testpeer: versitygw: %v", err)
	}
	if err := waitListening("127.0.0.1", s.port, s.proc, 30*time.Second); err != nil {
		t.Fatalf("testpeer: versitygw: %v\n%s", err, tail(s.logPath, 20))
	}
}

// Kill stops the gateway with SIGKILL, as a crash or a lost server would.
func (s *S3) Kill() {
	if s.proc == nil || s.proc.exited() {
		return
	}
	_ = syscall.Kill(-s.proc.cmd.Process.Pid, syscall.SIGKILL)
	<-s.proc.done
}

// Object is the file holding object key of bucket.
func (s *S3) Object(bucket, key string) string { return filepath.Join(s.Root, bucket, key) }

// Config is the archive section of an omsd configuration storing in
// bucket.
func (s *S3) Config(bucket string) string {
	return fmt.Sprintf("archive:\n  backend: s3\n  s3: {endpoint: %q, bucket: %s, access_key: %s, secret_key_file: %q, insecure: true}\n",
		s.Endpoint, bucket, s.AccessKey, s.SecretKeyFile)
}
