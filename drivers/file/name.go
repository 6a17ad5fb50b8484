package file

import (
	"fmt"
	"mime"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/omsd/omsd/drivers"
)

// maxNameBytes bounds the sanitized document name, leaving room for the
// job id and extension within the usual 255-byte file name limit.
const maxNameBytes = 200

// extensions maps document formats to the extension an output file gets.
var extensions = map[string]string{
	"application/pdf":            ".pdf",
	"application/vnd.ibm.modcap": ".afp",
}

// OutputName is the file name a document is written under:
// "<jobid>-<sanitized name>", with the format's extension added when the
// name lacks it.
func OutputName(doc drivers.Document) string {
	name := sanitize(doc.Name)
	if ext := extensionFor(doc.Format); ext != "" && !strings.HasSuffix(strings.ToLower(name), ext) {
		name += ext
	}
	return fmt.Sprintf("%d-%s", doc.JobID, name)
}

// sanitize keeps letters (any script), digits, '.', '_' and '-' and
// replaces every other character with '_'. An empty name becomes
// "document"; long names are cut at a character boundary.
func sanitize(name string) string {
	var b strings.Builder
	for _, r := range name {
		if b.Len()+utf8.RuneLen(r) > maxNameBytes {
			break
		}
		switch {
		case r == utf8.RuneError:
			b.WriteByte('_')
		case unicode.IsLetter(r), unicode.IsDigit(r), r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "document"
	}
	return b.String()
}

// extensionFor returns the extension for a MIME type, ignoring case and
// parameters, or "" for formats without one.
func extensionFor(format string) string {
	mt, _, err := mime.ParseMediaType(format)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(format))
	}
	return extensions[mt]
}
