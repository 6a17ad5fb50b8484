package testpeer

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// lprNamespace runs an LPRng client ($2 and on) with a private /etc
// holding an empty lprng/lpd.conf and printcap (LPRng's clients need them), in an
// overlay on a private tmpfs ($1) that vanishes with the namespace.
const lprNamespace = `set -e
mount -t tmpfs -o size=1m,mode=0755 omsd-lpr "$1"
mkdir -p "$1/upper/lprng" "$1/work"
: > "$1/upper/lprng/lpd.conf"
: > "$1/upper/printcap"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1/upper,workdir=$1/work" /etc
shift
exec "$@"
`

// LPRClient runs LPRng's client programs (lpr, lpq, lprm) from the lprng
// package, fetched as for StartLPD.
type LPRClient struct {
	bin string // the package's usr/bin
}

// LPRng returns the LPRng clients. They need root (a private mount
// namespace gives them their configuration).
func LPRng(t testing.TB) *LPRClient {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Fatalf("testpeer: LPRng's clients need root (their configuration is mounted in a private mount namespace)")
	}
	lookTool(t, "unshare", "util-linux")
	return &LPRClient{bin: filepath.Join(filepath.Dir(filepath.Dir(lprngLPD(t))), "bin")}
}

// Command returns the client program tool (lpr, lpq, lprm) with args, to
// run in its namespace.
func (c *LPRClient) Command(ctx context.Context, t testing.TB, tool string, args ...string) *exec.Cmd {
	t.Helper()
	ns := t.TempDir()
	argv := append([]string{"--mount", "--propagation", "private", "sh", "-c", lprNamespace, "sh", ns, filepath.Join(c.bin, tool)}, args...)
	return exec.CommandContext(ctx, "unshare", argv...)
}

// Run runs tool with args and returns its output (stdout and stderr),
// within a minute.
func (c *LPRClient) Run(t testing.TB, tool string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := c.Command(ctx, t, tool, args...).CombinedOutput()
	return string(out), err
}
