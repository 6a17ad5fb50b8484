package testpeer

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestToolPackageReadsToolDirectives(t *testing.T) {
	gomod := filepath.Join(t.TempDir(), "go.mod")
	body := "module x\n\ngo 1.26\n\ntool github.com/a/mailpit\n\ntool (\n\tgithub.com/b/c/weed\n)\n"
	if err := os.WriteFile(gomod, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"mailpit": "github.com/a/mailpit", "weed": "github.com/b/c/weed"} {
		got, err := toolPackage(gomod, name)
		if err != nil || got != want {
			t.Errorf("toolPackage(%s) = %q, %v; want %q", name, got, err, want)
		}
	}
	if _, err := toolPackage(gomod, "nats-server"); err == nil || !strings.Contains(err.Error(), "go get -tool") {
		t.Errorf("a missing tool: %v, want an error saying how to add it", err)
	}
}

func TestGoToolBuildsMailpit(t *testing.T) {
	bin := GoTool(t, "mailpit")
	out, err := exec.Command(bin, "version", "--no-release-check").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "mailpit") {
		t.Fatalf("mailpit version: %v\n%s", err, out)
	}
}
