// Command omsd-package builds omsd's .deb and .rpm with nfpm:
//
//	go run ./cmd/omsd-package --version 0.2.0 --out dist
//
// See package packaging for what goes into them.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/omsd/omsd/packaging"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "omsd-package:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("omsd-package", flag.ContinueOnError)
	var o packaging.Options
	fs.StringVar(&o.Version, "version", "0.1.0~dev", "package version, stamped into the binaries")
	fs.StringVar(&o.Out, "out", "dist", "directory the packages are written to")
	fs.StringVar(&o.Arch, "arch", "", "GOARCH to build for (default this machine's)")
	fs.StringVar(&o.Root, "root", ".", "the repository's root")
	nfpm := fs.String("nfpm", "", "nfpm binary (default: go tool nfpm in tools/)")
	packagers := fs.String("packager", "deb,rpm", "package formats, comma-separated")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *nfpm != "" {
		o.NFPM = []string{*nfpm}
	}
	o.Packagers = strings.Split(*packagers, ",")
	o.Log = os.Stderr
	built, err := packaging.Build(ctx, o)
	for _, p := range built {
		fmt.Println(p)
	}
	return err
}
