// Package omsdcli is the omsd command: it runs the daemon, checks and prints
// configurations, and runs the pipeline once on a file without the daemon.
package omsdcli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/daemon"
	"github.com/omsd/omsd/version"
)

const usage = `omsd — output management daemon for transactional print and mail

Usage:
  omsd [--config FILE] [--state-dir DIR]   run the daemon (default config: embedded, in ./omsd-data)
  omsd config default                      print the embedded default configuration
  omsd config check FILE                   validate a configuration file
  omsd process [--config FILE] [--workflow W] [--json] [--dry-run] [--force] INPUT
                                           run the pipeline once on INPUT, without the daemon
  omsd version, omsd --version             print the version

SIGHUP (systemctl reload omsd, omsctl reload) reads the configuration file
again and applies it without a restart; a file with problems is refused and
the running configuration stays.

Operators work with a running omsd through omsctl (omsctl help).
`

// errUsage asks for the usage text to be shown.
var errUsage = errors.New("omsd: see usage above")

// Run runs the omsd command with args (without the program name).
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "config":
			return runConfig(args[1:], stdout)
		case "process":
			return runProcess(ctx, args[1:], stdout, stderr)
		case "version", "--version", "-version":
			fmt.Fprintln(stdout, "omsd", version.String())
			return nil
		case "help", "-h", "--help":
			fmt.Fprint(stdout, usage)
			return nil
		case "run":
			args = args[1:]
		}
	}
	return runDaemon(ctx, args, stderr)
}

func runDaemon(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("omsd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	cfgPath := fs.String("config", "", "configuration file (default: the embedded default)")
	stateDir := fs.String("state-dir", "", "state directory (overrides state_dir in the configuration)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("unknown command %q", fs.Arg(0))
	}
	load := func() (*config.Config, error) {
		cfg, err := loadConfig(*cfgPath)
		if err == nil && *stateDir != "" {
			cfg.StateDir = *stateDir
		}
		return cfg, err
	}
	cfg, err := load()
	if err != nil {
		return err
	}
	log, err := newLogger(cfg.Log, stderr)
	if err != nil {
		return err
	}
	if *cfgPath == "" {
		load = nil // the embedded default: nothing to read again
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	return daemon.Run(ctx, cfg, log, daemon.WithReload(load, hup))
}

func loadConfig(path string) (*config.Config, error) {
	if path == "" {
		return config.Default(), nil
	}
	return config.Load(path)
}

func runConfig(args []string, stdout io.Writer) error {
	switch {
	case len(args) == 1 && args[0] == "default":
		_, err := stdout.Write(config.DefaultYAML())
		return err
	case len(args) == 2 && args[0] == "check":
		if _, err := config.Load(args[1]); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: valid\n", args[1])
		return nil
	}
	return errors.New(`usage: omsd config default | omsd config check FILE`)
}
