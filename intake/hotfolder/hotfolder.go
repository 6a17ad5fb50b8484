// Package hotfolder finds complete print files in hot folders.
//
// Composers drop print files into a directory; omsd must take a file only
// once it is complete, never while it is still being written. A file in the
// folder is complete when either
//
//   - a done-file exists beside it ("X.pdf.done" for "X.pdf"; the suffix is
//     configurable): the file is taken at the first scan that sees the
//     done-file, without waiting for it to settle; or
//   - its size, modification time and identity (inode) were the same at
//     StableScans consecutive scans after the scan that first saw them, and at
//     least StableScans×ScanInterval has passed since then (less a quarter of
//     an interval of timer slack). The time bound keeps scans triggered early
//     by file system events from making a file look settled sooner. A file that
//     is being appended to, however slowly, keeps changing and is not taken
//     as long as it grows more often than that.
//
// A file renamed into the folder complete is covered by the second rule; it
// cannot be told apart reliably from one being written, so it gets no
// shortcut.
//
// Watch drives a scanner: it rescans the directory every ScanInterval, and
// fsnotify events (a file created or renamed in) trigger an early scan. The
// rescan is the truth; events may be lost.
//
// What is never taken as an input: directories, symbolic links and other
// non-regular files; names starting with "." or "~"; names ending (in any
// letter case) in ".tmp", ".part", ".partial" or ".crdownload"; done-files;
// names ending in one of Config.IgnoreExts; names not matching
// Config.Pattern.
package hotfolder

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"
)

// Defaults applied by Watch to zero fields of Config.
const (
	DefaultDoneSuffix   = ".done"
	DefaultStableScans  = 2
	DefaultScanInterval = 2 * time.Second
)

// ErrInvalidConfig is returned by Watch for a Config it cannot work with.
var ErrInvalidConfig = errors.New("hotfolder: invalid config")

// ErrDeferred is wrapped by a handler's error when it cannot take files for
// now (intake is paused) and says so elsewhere: the file is offered again
// later like after any error, but the retry is logged at debug level, not
// as a warning for every file at every retry.
var ErrDeferred = errors.New("hotfolder: deferred")

// Config describes one hot folder.
type Config struct {
	// Dir is the hot folder. Watch creates it if it is missing.
	Dir string
	// Workflow is passed through in each Arrival.
	Workflow string
	// Pattern is a filepath.Match glob on the base name (case-sensitive);
	// "" means "*".
	Pattern string
	// DoneSuffix names done-files: "X"+DoneSuffix marks "X" complete.
	// "" means DefaultDoneSuffix. The comparison is case-sensitive.
	DoneSuffix string
	// RequireDone takes a file only when its done-file exists.
	RequireDone bool
	// Companions, if set, returns candidate companion paths for a print
	// file (sidecars such as "X.json" or "X.csv" that travel with it); a
	// relative path is taken relative to Dir. Those present as regular files
	// are handed over in Arrival.Companions; each must be stable like a print
	// file unless a done-file exists.
	Companions func(path string) []string
	// RequireCompanion takes a file only when at least one of its companions
	// exists (and is stable, unless a done-file exists). It needs Companions.
	RequireCompanion bool
	// IgnoreExts lists name endings that are never inputs, compared without
	// regard to letter case; a missing leading dot is added. Set it to the
	// sidecar extensions when Companions is used (e.g. [".json", ".csv"]), so
	// that a sidecar is never taken as a print file of its own — including a
	// lone sidecar whose print file has not arrived yet.
	IgnoreExts []string
	// StableScans is how many consecutive unchanged scans make a file
	// stable; values below 1 mean DefaultStableScans.
	StableScans int
	// ScanInterval is the time between full rescans; values below or equal
	// to zero mean DefaultScanInterval.
	ScanInterval time.Duration
}

// Arrival is one complete print file, handed to the handler of Watch.
type Arrival struct {
	Path       string   // the complete print file
	Workflow   string   // Config.Workflow
	DoneFile   string   // its done-file, or "" if none; the handler removes it after taking the file
	Companions []string // companion files present (and stable unless DoneFile is set), in Config.Companions order
}

// withDefaults returns c with zero fields defaulted and normalised, or an
// error wrapping ErrInvalidConfig.
func (c Config) withDefaults() (Config, error) {
	if c.Dir == "" {
		return c, fmt.Errorf("%w: no directory", ErrInvalidConfig)
	}
	dir, err := filepath.Abs(c.Dir)
	if err != nil {
		return c, fmt.Errorf("%w: directory %s: %w", ErrInvalidConfig, c.Dir, err)
	}
	c.Dir = dir // so that arrivals and their companions have absolute paths
	if c.Pattern == "" {
		c.Pattern = "*"
	}
	if _, err := filepath.Match(c.Pattern, ""); err != nil {
		return c, fmt.Errorf("%w: pattern %q: %w", ErrInvalidConfig, c.Pattern, err)
	}
	if c.DoneSuffix == "" {
		c.DoneSuffix = DefaultDoneSuffix
	}
	if strings.ContainsAny(c.DoneSuffix, `/\`) {
		return c, fmt.Errorf("%w: done suffix %q contains a path separator", ErrInvalidConfig, c.DoneSuffix)
	}
	if c.RequireCompanion && c.Companions == nil {
		return c, fmt.Errorf("%w: companion required but no Companions function", ErrInvalidConfig)
	}
	if c.StableScans < 1 {
		c.StableScans = DefaultStableScans
	}
	if c.ScanInterval <= 0 {
		c.ScanInterval = DefaultScanInterval
	}
	c.IgnoreExts = normaliseExts(c.IgnoreExts)
	return c, nil
}

// normaliseExts lower-cases exts and gives each a leading dot.
func normaliseExts(exts []string) []string {
	out := make([]string, 0, len(exts))
	for _, e := range exts {
		if e == "" {
			continue
		}
		if !strings.HasPrefix(e, ".") {
			e = "." + e
		}
		out = append(out, strings.ToLower(e))
	}
	return out
}

// retryDelay is the least time between two offers of a file whose handler
// failed.
func (c Config) retryDelay() time.Duration {
	return time.Duration(c.StableScans) * c.ScanInterval
}

// settleTime is the least time a file must stay unchanged to be stable.
func (c Config) settleTime() time.Duration {
	return time.Duration(c.StableScans)*c.ScanInterval - c.ScanInterval/4
}
