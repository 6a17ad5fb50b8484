// Package packaging builds omsd's distribution packages, a .deb and an
// .rpm, with nfpm: it builds omsd and omsctl with the version stamped in,
// generates their man pages from the commands' own help and omsctl's shell
// completions from omsctl itself, stages them beside the systemd unit, the
// sysusers and tmpfiles snippets and the service's default configuration
// (files/), and runs nfpm on nfpm.yaml for each package format.
//
// nfpm runs as a command (by default "go tool nfpm" in the repository's
// tools module), so that the packager's dependencies stay out of omsd's
// own module. cmd/omsd-package is the command line.
package packaging

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
)

//go:embed nfpm.yaml files scripts
var assets embed.FS

// ErrVersion means the version cannot name a package.
var ErrVersion = errors.New("packaging: invalid version")

// Options say what to build.
type Options struct {
	Root    string // the repository's root (holds go.mod and tools/)
	Out     string // where the packages are written
	Version string // stamped into the binaries and naming the packages
	Arch    string // GOARCH; default this machine's
	// NFPM is the command that runs nfpm; default: go tool nfpm in the
	// tools module.
	NFPM []string
	// Packagers are the formats built: deb, rpm (default both).
	Packagers []string
	Log       io.Writer // progress lines; nil: none
}

// packageVersion is what a package version may be for both dpkg and rpm.
var packageVersion = regexp.MustCompile(`^[0-9][0-9A-Za-z.+~]*$`)

// Build builds the packages and returns their paths.
func Build(ctx context.Context, o Options) ([]string, error) {
	o = o.withDefaults()
	if !packageVersion.MatchString(o.Version) {
		return nil, fmt.Errorf("%w: %q (a digit first, then letters, digits, . + ~)", ErrVersion, o.Version)
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return nil, err
	}
	stage, err := os.MkdirTemp(o.Out, ".stage-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(stage)
	for _, step := range []func(context.Context, Options, string) error{stageAssets, buildBinaries, writeDocs} {
		if err := step(ctx, o, stage); err != nil {
			return nil, err
		}
	}
	var built []string
	for _, p := range o.Packagers {
		path, err := runNFPM(ctx, o, stage, p)
		if err != nil {
			return nil, err
		}
		o.logf("built %s", path)
		built = append(built, path)
	}
	return built, nil
}

func (o Options) withDefaults() Options {
	if o.Arch == "" {
		o.Arch = runtime.GOARCH
	}
	if len(o.Packagers) == 0 {
		o.Packagers = []string{"deb", "rpm"}
	}
	if len(o.NFPM) == 0 {
		o.NFPM = []string{"go", "-C", filepath.Join(o.Root, "tools"), "tool", "nfpm"}
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	return o
}

func (o Options) logf(format string, args ...any) { fmt.Fprintf(o.Log, format+"\n", args...) }

// stageAssets copies nfpm.yaml, files/ and scripts/ into stage.
func stageAssets(_ context.Context, _ Options, stage string) error {
	return fs.WalkDir(assets, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == "." {
			return err
		}
		dst := filepath.Join(stage, path)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := assets.ReadFile(path)
		if err != nil {
			return err
		}
		mode := os.FileMode(0o644)
		if strings.HasSuffix(path, ".sh") {
			mode = 0o755
		}
		return os.WriteFile(dst, b, mode)
	})
}

// buildBinaries builds omsd and omsctl into stage/bin with the version
// stamped in.
func buildBinaries(ctx context.Context, o Options, stage string) error {
	ldflags := "-s -w -X github.com/omsd/omsd/version.stamped=" + o.Version
	for _, name := range []string{"omsd", "omsctl"} {
		o.logf("building %s %s for linux/%s", name, o.Version, o.Arch)
		cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", ldflags,
			"-o", filepath.Join(stage, "bin", name), "./cmd/"+name)
		cmd.Dir = o.Root
		cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+o.Arch)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("building %s: %w\n%s", name, err, out)
		}
	}
	return nil
}

// runNFPM builds one package from stage into o.Out.
func runNFPM(ctx context.Context, o Options, stage, packager string) (string, error) {
	before, _ := filepath.Glob(filepath.Join(o.Out, "*."+packager))
	args := slices.Concat(o.NFPM[1:], []string{"package", "--config", filepath.Join(stage, "nfpm.yaml"),
		"--packager", packager, "--target", o.Out})
	cmd := exec.CommandContext(ctx, o.NFPM[0], args...)
	cmd.Dir = stage
	cmd.Env = append(os.Environ(), "OMSD_VERSION="+o.Version, "OMSD_ARCH="+o.Arch, "GOWORK=off")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("nfpm %s: %w\n%s", packager, err, out.String())
	}
	after, _ := filepath.Glob(filepath.Join(o.Out, "*."+packager))
	for _, p := range after {
		if !slices.Contains(before, p) || strings.Contains(filepath.Base(p), o.Version) {
			return p, nil
		}
	}
	return "", fmt.Errorf("nfpm %s wrote no package into %s:\n%s", packager, o.Out, out.String())
}
