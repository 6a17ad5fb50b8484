package ctl

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// newFlagSet returns the flag set of verb; synopsis is shown by -h. The
// flag package's own messages are discarded: errors are returned, and the
// usage is printed to stdout by parse, on -h only.
func (e *env) newFlagSet(verb, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(verb, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "usage: omsctl %s %s\n", verb, synopsis)
		if hasFlags(fs) {
			fmt.Fprint(w, "\nflags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// hasFlags reports whether fs defines any flag.
func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// parse parses args with flags and positional arguments in any order, and
// returns the positional ones. Everything after "--" is positional. On -h it
// prints the verb's usage to stdout and returns flag.ErrHelp.
func (e *env) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			pos = append(pos, args[i+1:]...)
			i = len(args)
		case len(a) < 2 || a[0] != '-':
			pos = append(pos, a)
		default:
			flags = append(flags, a)
			if takesValue(fs, a) && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		}
	}
	if err := fs.Parse(flags); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(e.stdout)
			fs.Usage()
			fs.SetOutput(io.Discard)
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w (see omsctl %s -h)", fs.Name(), err, fs.Name())
	}
	return pos, nil
}

// takesValue reports whether the flag argument a ("-x", "--x") names a
// defined flag that needs the next argument as its value.
func takesValue(fs *flag.FlagSet, a string) bool {
	name := strings.TrimLeft(a, "-")
	if strings.Contains(name, "=") {
		return false
	}
	f := fs.Lookup(name)
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
}

// parseID parses a job id argument.
func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("bad job id %q: want a positive integer", s)
	}
	return id, nil
}

// wantArgs checks that verb got exactly the positional arguments named.
func wantArgs(verb string, pos []string, names ...string) error {
	if len(pos) == len(names) {
		return nil
	}
	return fmt.Errorf("%s: want %s, got %d argument(s): %q (see omsctl %s -h)",
		verb, strings.Join(names, " "), len(pos), pos, verb)
}

// parseJob parses the flags and the one job ID argument (called name in
// messages) of verb.
func (e *env) parseJob(fs *flag.FlagSet, args []string, verb, name string) (int64, error) {
	pos, err := e.parse(fs, args)
	if err != nil {
		return 0, err
	}
	if err := wantArgs(verb, pos, name); err != nil {
		return 0, err
	}
	id, err := parseID(pos[0])
	if err != nil {
		return 0, fmt.Errorf("%s: %w", verb, err)
	}
	return id, nil
}
