// Command omsdprof is omsd with a CPU profile of its whole run written to
// $OMSD_CPUPROFILE, for the jobs benchmark.
//
//	OMSD_CPUPROFILE=cpu.pprof omsdprof --config omsd.yaml
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/omsd/omsd/bench/internal/prof"

	"github.com/omsd/omsd/omsdcli"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "omsd:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	stop, err := prof.StartCPU(os.Getenv("OMSD_CPUPROFILE"))
	if err != nil {
		return err
	}
	defer stop()
	return omsdcli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
}
