package ctl

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/omsd/omsd/version"
)

func TestSubVerbs(t *testing.T) {
	tests := map[string][]string{
		"show|hold|release|cancel ID | report ID | move ID TARGET": {"show", "hold", "release", "cancel", "report", "move"},
		"[--json]":                      nil,
		"JOB [--pieces 5,7-9]":          nil,
		"usb [--json]":                  {"usb"},
		"bash|zsh|fish":                 {"bash", "zsh", "fish"},
		"FILE [--format pdf|afp] | --x": nil,
	}
	for syn, want := range tests {
		if got := subVerbs(syn); !slices.Equal(got, want) {
			t.Errorf("subVerbs(%q) = %q, want %q", syn, got, want)
		}
	}
}

// TestBashCompletion sources the script in a real bash and asks it to
// complete, as bash does on Tab.
func TestBashCompletion(t *testing.T) {
	script, _, err := omsctl(t, "unused.sock", "completion", "bash")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "omsctl.bash")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		line string // the words typed, the last one being completed
		want []string
	}{
		{"omsctl st", []string{"status"}},
		{"omsctl --socket /x.sock pri", []string{"printers", "printer"}},
		{"omsctl job re", []string{"release", "report", "restart"}},
		{"omsctl printer d", []string{"disable", "drain"}},
		{"omsctl completion ", []string{"bash", "zsh", "fish"}},
	}
	for _, tt := range tests {
		words := strings.Fields(tt.line)
		if strings.HasSuffix(tt.line, " ") {
			words = append(words, "")
		}
		prog := `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _omsctl; printf '%s\n' "${COMPREPLY[@]}"`
		out, err := exec.Command("bash", append([]string{"-c", prog, "bash", path}, words...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: bash: %v\n%s", tt.line, err, out)
		}
		got := strings.Fields(string(out))
		slices.Sort(got)
		want := slices.Clone(tt.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%q completes to %q, want %q", tt.line, got, want)
		}
	}
}

func TestZshAndFishCompletionNameEveryVerb(t *testing.T) {
	for _, shell := range []string{"zsh", "fish"} {
		out, _, err := omsctl(t, "unused.sock", "completion", shell)
		if err != nil {
			t.Fatal(err)
		}
		for _, verb := range names() {
			if !strings.Contains(out, verb) {
				t.Errorf("%s completion lacks verb %q", shell, verb)
			}
		}
	}
	if _, _, err := omsctl(t, "unused.sock", "completion", "tcsh"); err == nil || !strings.Contains(err.Error(), "bash, zsh and fish") {
		t.Errorf("completion tcsh: %v, want an error naming the shells", err)
	}
}

func TestVersion(t *testing.T) {
	out, _, err := omsctl(t, "unused.sock", "--version")
	if err != nil || out != "omsctl "+version.String()+"\n" {
		t.Errorf("--version = %q, %v", out, err)
	}
	sock, _ := serve(t)
	out, _, err = omsctl(t, sock, "version", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var v versions
	decode(t, out, &v)
	if v.Omsctl != version.String() || v.Omsd != "0.1.0-test" {
		t.Errorf("version --json = %+v, want omsctl %s and the daemon's 0.1.0-test", v, version.String())
	}
	out, _, err = omsctl(t, filepath.Join(t.TempDir(), "none.sock"), "version")
	if err != nil || !strings.Contains(out, "omsd   unknown: omsd is not running") {
		t.Errorf("version without a daemon = %q, %v", out, err)
	}
}
