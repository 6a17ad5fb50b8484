package packaging

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"strings"
)

// manSection is one section of a man page: a heading and the text under
// it, printed as it is (the commands' own help, already laid out).
type manSection struct {
	heading string
	text    string
}

// manPage writes a man page in roff for name in section sec (1, 8): its
// one-line summary, then sections whose text is kept line for line.
func manPage(name, sec, version, summary string, sections []manSection) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, ".TH %s %s \"\" \"omsd %s\" \"omsd\"\n", strings.ToUpper(name), sec, roffEscape(version))
	fmt.Fprintf(&b, ".SH NAME\n%s \\- %s\n", name, roffEscape(summary))
	for _, s := range sections {
		fmt.Fprintf(&b, ".SH %s\n.nf\n", strings.ToUpper(s.heading))
		for _, line := range strings.Split(strings.TrimRight(s.text, "\n"), "\n") {
			b.WriteString(roffLine(line))
			b.WriteByte('\n')
		}
		b.WriteString(".fi\n")
	}
	return b.Bytes()
}

// roffEscape escapes the backslashes roff would read as escapes.
func roffEscape(s string) string { return strings.ReplaceAll(s, `\`, `\e`) }

// roffLine is line as literal roff text: escapes escaped, and a line that
// begins with a control character (. or ') or is empty kept as text.
func roffLine(line string) string {
	line = roffEscape(line)
	if line == "" || line[0] == '.' || line[0] == '\'' {
		return `\&` + line
	}
	return line
}

// gzipped compresses b as man pages are shipped.
func gzipped(b []byte) ([]byte, error) {
	var out bytes.Buffer
	zw, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
