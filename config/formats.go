package config

import (
	"fmt"
	"slices"
	"strings"
)

// MIME types of the workflow formats, as printers and IPP name them.
const (
	MIMEPDF   = "application/pdf"
	MIMEAFP   = "application/vnd.ibm.modcap"
	mimeOctet = "application/octet-stream"
)

// FormatMIME is the MIME type of a workflow format (pdf or afp).
func FormatMIME(format string) string {
	if format == "afp" {
		return MIMEAFP
	}
	return MIMEPDF
}

// mislabels reports whether printer p is set to label every document it is
// sent with another format than mime, and that format.
func mislabels(p Printer, mime string) (string, bool) {
	if p.IPP == nil || p.IPP.DocumentFormat == "" {
		return "", false
	}
	f := p.IPP.DocumentFormat
	return f, f != mime && f != mimeOctet
}

// capable reports whether printer p's declared capabilities take mime. A
// printer that declares no formats takes everything: it is asked (IPP) or
// trusted.
func capable(p Printer, mime string) bool {
	f := p.Capabilities.Formats
	return len(f) == 0 || slices.Contains(f, mime) || slices.Contains(f, mimeOctet)
}

// validateFormat checks that the printers behind target can print the
// workflow's format. A printer that would mislabel the document (its
// ipp.document_format is another format) is always an error; in a pool it
// is enough that one member's capabilities take the format, since routing
// picks among them.
func (c *Config) validateFormat(bad func(string, ...any), w Workflow, key, target string) {
	mime := FormatMIME(w.Format)
	members := c.Members(target)
	var refusing []string
	for _, name := range members {
		p, ok := c.Printer(name)
		if !ok {
			continue
		}
		if label, wrong := mislabels(p, mime); wrong {
			bad("workflow %q: %s %q: printer %q would be sent %s output labelled %s; set its ipp.document_format to %s (or remove it)",
				w.Name, key, target, name, w.Format, label, mime)
		} else if !capable(p, mime) {
			refusing = append(refusing, fmt.Sprintf("printer %q takes %v", name, p.Capabilities.Formats))
		}
	}
	if len(refusing) > 0 && len(refusing) == len(members) {
		bad("workflow %q: %s %q cannot print format %s (%s): %s; add %s to capabilities.formats or route the workflow elsewhere",
			w.Name, key, target, w.Format, mime, strings.Join(refusing, ", "), mime)
	}
}
