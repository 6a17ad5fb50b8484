package packaging

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// shipped are the files both packages hold.
var shipped = []string{
	"/usr/bin/omsd",
	"/usr/bin/omsctl",
	"/etc/omsd/omsd.yaml",
	"/usr/lib/systemd/system/omsd.service",
	"/usr/lib/sysusers.d/omsd.conf",
	"/usr/lib/tmpfiles.d/omsd.conf",
	"/usr/share/man/man8/omsd.8.gz",
	"/usr/share/man/man1/omsctl.1.gz",
	"/usr/share/bash-completion/completions/omsctl",
	"/usr/share/fish/vendor_completions.d/omsctl.fish",
}

func TestDebContents(t *testing.T) {
	need(t, "dpkg-deb", "dpkg")
	deb, _ := packages(t)
	if base := filepath.Base(deb); base != "omsd_"+testVersion+"_amd64.deb" && !strings.HasPrefix(base, "omsd_"+testVersion+"_") {
		t.Errorf("package named %s", base)
	}
	list := run(t, "dpkg-deb", "-c", deb)
	t.Logf("dpkg-deb -c %s:\n%s", filepath.Base(deb), list)
	for _, f := range append(shipped, "/usr/share/zsh/vendor-completions/_omsctl") {
		if !strings.Contains(list, " ."+f+"\n") {
			t.Errorf("the .deb lacks %s", f)
		}
	}
	if got := run(t, "dpkg-deb", "-I", deb, "conffiles"); strings.TrimSpace(got) != "/etc/omsd/omsd.yaml" {
		t.Errorf("conffiles = %q, want /etc/omsd/omsd.yaml", got)
	}
	control := run(t, "dpkg-deb", "-f", deb, "Version", "Depends")
	if !strings.Contains(control, "Version: "+testVersion) || !strings.Contains(control, "libusb-1.0-0") {
		t.Errorf("control fields:\n%s", control)
	}
}

func TestRpmContents(t *testing.T) {
	need(t, "rpm", "rpm")
	_, rpm := packages(t)
	list := run(t, "rpm", "-qlp", rpm)
	t.Logf("rpm -qlp %s:\n%s", filepath.Base(rpm), list)
	for _, f := range append(shipped, "/usr/share/zsh/site-functions/_omsctl") {
		if !strings.Contains(list, f+"\n") {
			t.Errorf("the .rpm lacks %s", f)
		}
	}
	if got := run(t, "rpm", "-qp", "--configfiles", rpm); strings.TrimSpace(got) != "/etc/omsd/omsd.yaml" {
		t.Errorf("config files = %q, want /etc/omsd/omsd.yaml", got)
	}
	if got := run(t, "rpm", "-qp", "--queryformat", "%{VERSION}", rpm); got != testVersion {
		t.Errorf("rpm version %q, want %q", got, testVersion)
	}
}

// TestPackagedBinariesAndDocs runs the packaged binaries and reads the man
// pages and completions they came with.
func TestPackagedBinariesAndDocs(t *testing.T) {
	need(t, "dpkg-deb", "dpkg")
	deb, _ := packages(t)
	root := extract(t, deb)
	for _, c := range [][]string{{"omsd", "--version"}, {"omsctl", "--version"}} {
		if got := run(t, filepath.Join(root, "usr/bin", c[0]), c[1]); got != c[0]+" "+testVersion+"\n" {
			t.Errorf("%s %s = %q, want the stamped %s", c[0], c[1], got, testVersion)
		}
	}
	omsd := gunzip(t, filepath.Join(root, "usr/share/man/man8/omsd.8.gz"))
	omsctl := gunzip(t, filepath.Join(root, "usr/share/man/man1/omsctl.1.gz"))
	for _, want := range []string{".TH OMSD 8", "omsd config check FILE", "/run/omsd/omsd.sock"} {
		if !strings.Contains(omsd, want) {
			t.Errorf("omsd(8) lacks %q", want)
		}
	}
	for _, want := range []string{".TH OMSCTL 1", ".SH OMSCTL JOB", "omsctl job restart ID", ".SH OMSCTL COMPLETION"} {
		if !strings.Contains(omsctl, want) {
			t.Errorf("omsctl(1) lacks %q", want)
		}
	}
	bash, err := os.ReadFile(filepath.Join(root, "usr/share/bash-completion/completions/omsctl"))
	if err != nil || !bytes.Contains(bash, []byte("complete -o default -F _omsctl omsctl")) {
		t.Errorf("bash completion: %v\n%s", err, bash)
	}
}

func TestManPageEscapes(t *testing.T) {
	page := string(manPage("x", "1", "1.0", "a \\ tool", []manSection{{"synopsis", ".start\n'quote\n\nback\\slash\n"}}))
	for _, want := range []string{"x \\- a \\e tool", "\\&.start\n", "\\&'quote\n", "\\&\n", "back\\eslash\n"} {
		if !strings.Contains(page, want) {
			t.Errorf("man page lacks %q:\n%s", want, page)
		}
	}
}

func TestBuildRefusesBadVersion(t *testing.T) {
	_, err := Build(context.Background(), Options{Root: "..", Out: t.TempDir(), Version: "v1.0"})
	if !errors.Is(err, ErrVersion) {
		t.Errorf("Build with version v1.0: %v, want ErrVersion", err)
	}
}

func gunzip(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
