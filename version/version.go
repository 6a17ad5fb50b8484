// Package version is omsd's version, the same in omsd, omsctl and the local
// API's status. A release build stamps it with the linker:
//
//	go build -ldflags "-X github.com/omsd/omsd/version.stamped=1.2.0" ./cmd/omsd
//
// An unstamped build (go build, go run, go install) falls back to what the Go
// toolchain recorded in the binary: the module's version when it was
// installed from a tag, else the commit it was built from ("devel+" and 12
// hex digits, "-dirty" with uncommitted changes), else "devel".
package version

import (
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
)

// stamped is set by the linker (-X) in release builds.
var stamped string

// String is the version of this binary.
func String() string {
	if stamped != "" {
		return stamped
	}
	return fallback()
}

// fallback reads the build information once.
var fallback = sync.OnceValue(func() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	return fromBuildInfo(bi)
})

// fromBuildInfo is the version the toolchain's build information gives:
// a tagged module version, else the VCS revision, else "devel".
func fromBuildInfo(bi *debug.BuildInfo) string {
	if v := bi.Main.Version; v != "" && v != "(devel)" && !isPseudo(v) {
		return v
	}
	var rev string
	var dirty bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	v := "devel+" + rev
	if dirty {
		v += "-dirty"
	}
	return v
}

// pseudo matches the tail of a Go pseudo-version
// (v0.0.0-20260101000000-abcdef123456, maybe +dirty), which says less than
// the revision itself.
var pseudo = regexp.MustCompile(`[0-9]{14}-[0-9a-f]{12}(\+dirty)?$`)

// isPseudo reports whether v is a pseudo-version or marked dirty.
func isPseudo(v string) bool { return pseudo.MatchString(v) || strings.HasSuffix(v, "+dirty") }
