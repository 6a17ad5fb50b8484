// Command omsd is the output management daemon: it takes print files from
// hot folders, splits them into mail pieces and sends them to printers.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/omsd/omsd/omsdcli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := omsdcli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "omsd:", err)
		stop()
		os.Exit(1)
	}
}
