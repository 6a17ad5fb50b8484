// Package spacetest builds space monitors for the services' tests: one
// whose gate is closed on any real filesystem, and one that is open.
package spacetest

import (
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/diskspace"
)

// Short returns a monitor of dir whose watermark no real filesystem
// meets: its gate is closed.
func Short(t testing.TB, dir string) *diskspace.Monitor {
	t.Helper()
	return diskspace.NewMonitor([]string{dir}, diskspace.Watermark{Percent: 99.999}, time.Hour, zerolog.Nop())
}

// Plenty returns a monitor of dir without a watermark: its gate is open
// until a resource error; it opens again only after an hour or when dir's
// filesystem grows.
func Plenty(t testing.TB, dir string) *diskspace.Monitor {
	t.Helper()
	return diskspace.NewMonitor([]string{dir}, diskspace.Watermark{}, time.Hour, zerolog.Nop())
}
