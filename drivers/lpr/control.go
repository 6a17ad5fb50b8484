package lpr

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/omsd/omsd/drivers"
)

// controlFile describes the control file of one job.
type controlFile struct {
	Number   int    // job number, 0–999
	Host     string // H line, and the host part of file names
	User     string // P line
	JobName  string // J line
	Source   string // N line: the source file name; like CUPS, the job name
	Title    string // T line, sent with filetype 'p' only
	Filetype byte   // print command for the data file
	Banner   bool   // C and L lines
}

// newControlFile describes the control file for doc.
func (d *Driver) newControlFile(doc drivers.Document, number int) controlFile {
	name := doc.Name
	if name == "" {
		name = fmt.Sprintf("omsd job %d", doc.JobID)
	}
	return controlFile{
		Number:   number,
		Host:     d.cfg.Hostname,
		User:     d.cfg.User,
		JobName:  name,
		Source:   name,
		Title:    name,
		Filetype: d.cfg.Filetype,
		Banner:   d.cfg.Banner,
	}
}

// ControlName is the control file's name: cfA, the job number in three
// digits, and the host.
func (c controlFile) ControlName() string { return c.fileName("cfA") }

// DataName is the data file's name: dfA, the job number, the host.
func (c controlFile) DataName() string { return c.fileName("dfA") }

func (c controlFile) fileName(prefix string) string {
	host := hostForFile(c.Host)
	if len(host) > maxFileHost {
		host = host[:maxFileHost]
	}
	return fmt.Sprintf("%s%03d%s", prefix, c.Number%1000, host)
}

// Bytes is the control file's content, in the order CUPS' lpd backend
// writes it. Values are cut to the lengths RFC 1179 allows and stripped of
// characters that could break the line structure.
func (c controlFile) Bytes() []byte {
	var b strings.Builder
	line := func(cmd byte, value string, limit int) {
		b.WriteByte(cmd)
		b.WriteString(field(value, limit))
		b.WriteByte('\n')
	}
	line('H', c.Host, maxHost)
	line('P', c.User, maxUser)
	line('J', c.JobName, maxJobName)
	if c.Banner {
		line('C', c.Host, maxHost)
		line('L', c.User, maxUser)
	}
	if c.Filetype == 'p' {
		line('T', c.Title, maxTitle)
	}
	line(c.Filetype, c.DataName(), maxSource)
	line('U', c.DataName(), maxSource)
	line('N', c.Source, maxSource)
	return []byte(b.String())
}

// field makes s fit for a control file line: every character outside
// printable ASCII becomes '_' (servers differ in what they accept beyond
// it), and the result is cut to limit bytes.
func field(s string, limit int) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= limit {
			break
		}
		if r < ' ' || r > '~' || r == utf8.RuneError {
			b.WriteByte('_')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// hostForFile keeps the letters, digits, '.', '-' and '_' of a host name,
// which is all a control or data file name may hold.
func hostForFile(host string) string {
	var b strings.Builder
	for i := range len(host) {
		switch ch := host[i]; {
		case ch >= 'a' && ch <= 'z', ch >= 'A' && ch <= 'Z', ch >= '0' && ch <= '9',
			ch == '.', ch == '-', ch == '_':
			b.WriteByte(ch)
		}
	}
	return b.String()
}
