package packaging

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// writeDocs writes the man pages and omsctl's completions into stage,
// from the binaries built there.
func writeDocs(ctx context.Context, o Options, stage string) error {
	bin := func(name string) string { return filepath.Join(stage, "bin", name) }
	omsdHelp, err := output(ctx, bin("omsd"), "help")
	if err != nil {
		return err
	}
	ctlHelp, err := output(ctx, bin("omsctl"), "help")
	if err != nil {
		return err
	}
	verbs := ctlSections(ctx, bin("omsctl"), ctlHelp)
	pages := map[string][]byte{
		"omsd.8": manPage("omsd", "8", o.Version, "output management daemon for transactional print and mail", []manSection{
			{"synopsis", omsdHelp},
			{"files", "/etc/omsd/omsd.yaml          the configuration (omsd config check FILE validates it)\n" +
				"/var/lib/omsd/               state: spool, hot folders, outputs, error folder\n" +
				"/run/omsd/omsd.sock          the local API omsctl uses (mode 0660, group omsd)\n"},
			{"see also", "omsctl(1), systemctl(1), journalctl(1): the service's log is journalctl -u omsd\n"},
		}),
		"omsctl.1": manPage("omsctl", "1", o.Version, "control omsd, the output management daemon", append(
			[]manSection{{"synopsis", ctlHelp}}, append(verbs, manSection{"see also", "omsd(8)\n"})...)),
	}
	if err := os.MkdirAll(filepath.Join(stage, "man"), 0o755); err != nil {
		return err
	}
	for name, page := range pages {
		gz, err := gzipped(page)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(stage, "man", name+".gz"), gz, 0o644); err != nil {
			return err
		}
	}
	return writeCompletions(ctx, bin("omsctl"), filepath.Join(stage, "completions"))
}

// ctlSections is one man page section per omsctl verb, from "omsctl VERB -h".
func ctlSections(ctx context.Context, omsctl, help string) []manSection {
	var out []manSection
	for _, verb := range verbsOf(help) {
		h, err := output(ctx, omsctl, verb, "-h")
		if err != nil || h == "" {
			continue
		}
		out = append(out, manSection{"omsctl " + verb, h})
	}
	return out
}

// verbsOf reads the verbs from omsctl's help: the first word of each
// indented line under "commands:".
func verbsOf(help string) []string {
	var verbs []string
	in := false
	sc := bufio.NewScanner(strings.NewReader(help))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "commands:":
			in = true
		case in && !strings.HasPrefix(line, "  "):
			in = false
		case in:
			if f := strings.Fields(line); len(f) > 0 && f[0] != "help" {
				verbs = append(verbs, f[0])
			}
		}
	}
	return verbs
}

// writeCompletions writes omsctl's bash, zsh and fish completions into dir.
func writeCompletions(ctx context.Context, omsctl, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, shell := range []string{"bash", "zsh", "fish"} {
		s, err := output(ctx, omsctl, "completion", shell)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "omsctl."+shell), []byte(s), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// output runs a built binary and returns what it printed.
func output(ctx context.Context, bin string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "OMSD_SOCKET=/nonexistent/omsd.sock")
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", filepath.Base(bin), strings.Join(args, " "), err)
	}
	return string(out), nil
}
