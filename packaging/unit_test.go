package packaging

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// unitRoot lays out a root directory for systemd-analyze: the extracted
// .deb (its unit and the binaries the unit runs), this machine's targets
// the unit orders itself against, and kill for ExecReload.
func unitRoot(t *testing.T) string {
	t.Helper()
	need(t, "systemd-analyze", "systemd")
	need(t, "dpkg-deb", "dpkg")
	deb, _ := packages(t)
	root := extract(t, deb)
	units := filepath.Join(root, "usr/lib/systemd/system")
	targets, _ := filepath.Glob("/usr/lib/systemd/system/*.target")
	if len(targets) == 0 {
		targets, _ = filepath.Glob("/lib/systemd/system/*.target")
	}
	for _, src := range targets {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(units, filepath.Base(src)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	kill, err := exec.LookPath("kill")
	if err != nil {
		t.Fatal("kill is missing: apt-get install procps")
	}
	b, err := os.ReadFile(kill)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "usr/bin/kill"), b, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("usr/bin", filepath.Join(root, "bin")); err != nil {
		t.Fatal(err)
	}
	return root
}

// TestUnitVerifies runs systemd-analyze verify on the packaged unit, and
// on a broken copy of it to see that the check can fail.
func TestUnitVerifies(t *testing.T) {
	root := unitRoot(t)
	unit := filepath.Join(root, "usr/lib/systemd/system/omsd.service")
	verify := func() (string, error) {
		out, err := exec.Command("systemd-analyze", "verify", "--man=no", "--root="+root, unit).CombinedOutput()
		return string(out), err
	}
	if out, err := verify(); err != nil || strings.TrimSpace(out) != "" {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	good, _ := os.ReadFile(unit)
	broken := strings.Replace(string(good), "ExecStart=/usr/bin/omsd", "ExecStart=/usr/bin/omsd-gone", 1)
	if err := os.WriteFile(unit, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := verify(); err == nil {
		t.Errorf("systemd-analyze verify passed a unit whose ExecStart is missing:\n%s", out)
	}
}

// TestUnitSecurityExposure logs systemd-analyze security's score of the
// unit (recorded in bench/RESULTS.md) and checks it stays "OK" or better:
// 3.9 or less on its 0 (locked down) to 10 (unprotected) scale.
func TestUnitSecurityExposure(t *testing.T) {
	root := unitRoot(t)
	out, err := exec.Command("systemd-analyze", "security", "--offline=yes", "--root="+root,
		filepath.Join(root, "usr/lib/systemd/system/omsd.service")).CombinedOutput()
	if err != nil {
		t.Fatalf("systemd-analyze security: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`Overall exposure level for omsd.service: ([0-9.]+) (\w+)`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("no exposure level in:\n%s", out)
	}
	t.Logf("systemd-analyze security: exposure %s %s", m[1], m[2])
	if score, err := strconv.ParseFloat(m[1], 64); err != nil || score > 3.9 {
		t.Errorf("exposure %s %s; keep the unit at 3.9 (OK) or below", m[1], m[2])
	}
}

// TestUnitDirectives checks what the issue asks of the unit, beyond what
// systemd-analyze checks.
func TestUnitDirectives(t *testing.T) {
	b, err := assets.ReadFile("files/omsd.service")
	if err != nil {
		t.Fatal(err)
	}
	unit := string(b)
	for _, want := range []string{
		"Type=notify", "User=omsd", "StateDirectory=omsd", "ConfigurationDirectory=omsd",
		"RuntimeDirectory=omsd", "ExecReload=/bin/kill -HUP $MAINPID", "WatchdogSec=",
		"ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "NoNewPrivileges=yes",
		"RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6", "DeviceAllow=char-usb_device rw",
		"ExecStartPre=/usr/bin/omsd config check /etc/omsd/omsd.yaml",
	} {
		if !strings.Contains(unit, want+"\n") && !strings.Contains(unit, want) {
			t.Errorf("the unit lacks %s", want)
		}
	}
}
