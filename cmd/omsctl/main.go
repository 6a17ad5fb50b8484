// Command omsctl is the operator's command line for omsd: it shows and
// controls jobs, printers and the daemon through omsd's local API.
//
// Run "omsctl help" for the commands.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/omsd/omsd/ctl"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := ctl.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "omsctl: %v\n", err)
		os.Exit(1)
	}
}
