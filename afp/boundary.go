package afp

import (
	"fmt"
	"strconv"
	"strings"
)

// BoundaryKind says where one mail piece ends and the next begins.
type BoundaryKind int

// Boundary kinds.
const (
	// BoundaryPageGroups: each named page group (BNG…ENG) is a piece; runs
	// of pages outside any group form a piece of their own.
	BoundaryPageGroups BoundaryKind = iota
	// BoundaryIMM: every Invoke Medium Map starts a new piece.
	BoundaryIMM
	// BoundaryTLE: a TLE whose attribute name is Key starts a new piece,
	// at the page it is in or the next page.
	BoundaryTLE
	// BoundaryNOP: a NOP whose text starts with Key does the same.
	BoundaryNOP
	// BoundaryPages: every Pages pages make a piece.
	BoundaryPages
)

// Boundary configures how BuildIndex finds mail pieces. The zero value is
// PageGroups.
type Boundary struct {
	Kind  BoundaryKind
	Key   string // TLE attribute name or NOP text prefix, for BoundaryTLE and BoundaryNOP
	Pages int    // pages per piece, for BoundaryPages
}

// PageGroups makes each named page group a piece (the default).
func PageGroups() Boundary { return Boundary{} }

// EveryIMM starts a piece at every Invoke Medium Map.
func EveryIMM() Boundary { return Boundary{Kind: BoundaryIMM} }

// TLEKey starts a piece at each TLE named key.
func TLEKey(key string) Boundary { return Boundary{Kind: BoundaryTLE, Key: key} }

// NOPKey starts a piece at each NOP whose text starts with key.
func NOPKey(key string) Boundary { return Boundary{Kind: BoundaryNOP, Key: key} }

// FixedPages makes every n pages a piece.
func FixedPages(n int) Boundary { return Boundary{Kind: BoundaryPages, Pages: n} }

// ParseBoundary reads a boundary as written in configuration: "groups",
// "imm", "tle:KEY", "nop:KEY" or "pages:N".
func ParseBoundary(s string) (Boundary, error) {
	kind, arg, _ := strings.Cut(s, ":")
	var b Boundary
	switch kind {
	case "groups", "":
		b = PageGroups()
	case "imm":
		b = EveryIMM()
	case "tle":
		b = TLEKey(arg)
	case "nop":
		b = NOPKey(arg)
	case "pages":
		n, err := strconv.Atoi(arg)
		if err != nil {
			return Boundary{}, fmt.Errorf("afp: boundary %q: page count: %w", s, err)
		}
		b = FixedPages(n)
	default:
		return Boundary{}, fmt.Errorf("afp: boundary %q: want groups, imm, tle:KEY, nop:KEY or pages:N", s)
	}
	return b, b.Validate()
}

// Validate checks that a key or page count is given where the kind needs
// one.
func (b Boundary) Validate() error {
	switch b.Kind {
	case BoundaryPageGroups, BoundaryIMM:
		return nil
	case BoundaryTLE, BoundaryNOP:
		if b.Key == "" {
			return fmt.Errorf("afp: boundary %s needs a key", b)
		}
		return nil
	case BoundaryPages:
		if b.Pages < 1 {
			return fmt.Errorf("afp: boundary %s needs a page count of at least 1", b)
		}
		return nil
	}
	return fmt.Errorf("afp: boundary kind %d unknown", b.Kind)
}

// String writes the boundary as ParseBoundary reads it.
func (b Boundary) String() string {
	switch b.Kind {
	case BoundaryIMM:
		return "imm"
	case BoundaryTLE:
		return "tle:" + b.Key
	case BoundaryNOP:
		return "nop:" + b.Key
	case BoundaryPages:
		return "pages:" + strconv.Itoa(b.Pages)
	}
	return "groups"
}
