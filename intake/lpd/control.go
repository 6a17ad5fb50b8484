package lpd

import (
	"bytes"
	"fmt"
	"strings"
)

// maxControl bounds a control file; real ones are a few hundred bytes.
const maxControl = 64 << 10

// Control is a parsed control file: who sent the job, its name, and the
// data files it prints, in order.
type Control struct {
	Name                                  string // the control file's name as sent, e.g. cfA123host
	Host, User, Job, Class, Banner, Title string
	// Files are the distinct data files the print lines name, in the order
	// of their first print line.
	Files []DataRef
	// Fields are the job metadata the control file carries: its lines
	// under readable names, and the -o name=value options as sent.
	Fields map[string]string
}

// DataRef is a data file a control file prints.
type DataRef struct {
	Name   string // the data file's name, e.g. dfA123host
	Format byte   // the print line's letter: l (binary), f (text), o (PostScript), ...
	Source string // the N line before it: the file's name at the sender
	Copies int    // how many print lines name it
}

// controlFields names the control lines kept as metadata.
var controlFields = map[byte]string{
	'H': "lpd_host", 'P': "lpd_user", 'J': "lpd_job", 'C': "lpd_class", 'L': "lpd_banner",
	'T': "lpd_title", 'A': "lpd_id", 'D': "lpd_date", 'Q': "lpd_queue",
}

// ParseControl reads a control file (RFC 1179 section 7, with LPRng's A,
// D and Q lines and IP PrintWay's -o option lines). Unknown lines are
// ignored, as lpd does; a file that is not text lines is an error.
func ParseControl(b []byte) (Control, error) {
	if len(b) > maxControl {
		return Control{}, fmt.Errorf("%w: control file of %d bytes (at most %d)", ErrProtocol, len(b), maxControl)
	}
	c := Control{Fields: map[string]string{}}
	source := ""
	for _, raw := range bytes.Split(b, []byte{'\n'}) {
		line := strings.TrimSuffix(string(raw), "\r")
		if line == "" {
			continue
		}
		if strings.ContainsRune(line, 0) {
			return Control{}, fmt.Errorf("%w: control file holds a NUL byte", ErrProtocol)
		}
		if rest, ok := strings.CutPrefix(line, "-o"); ok {
			parseOptions(rest, c.Fields)
			continue
		}
		key, val := line[0], line[1:]
		switch {
		case key == 'N':
			source = val
		case key >= 'a' && key <= 'z':
			if val == "" {
				continue
			}
			c.addFile(DataRef{Name: val, Format: key, Source: source})
		}
		if name, ok := controlFields[key]; ok {
			c.Fields[name] = val
		}
		switch key {
		case 'H':
			c.Host = val
		case 'P':
			c.User = val
		case 'J':
			c.Job = val
		case 'C':
			c.Class = val
		case 'L':
			c.Banner = val
		case 'T':
			c.Title = val
		}
	}
	return c, nil
}

// addFile records a print line: a data file named again is another copy.
func (c *Control) addFile(ref DataRef) {
	for i := range c.Files {
		if c.Files[i].Name == ref.Name {
			c.Files[i].Copies++
			return
		}
	}
	ref.Copies = 1
	c.Files = append(c.Files, ref)
}

// parseOptions reads "-o" option lines: name=value pairs separated by
// blanks, the blanks inside a value sent as X'1C' (IP PrintWay's Remote
// PSF style).
func parseOptions(s string, into map[string]string) {
	for _, opt := range strings.Fields(s) {
		name, val, ok := strings.Cut(opt, "=")
		if !ok || name == "" {
			continue
		}
		into[name] = strings.ReplaceAll(val, "\x1c", " ")
	}
}
