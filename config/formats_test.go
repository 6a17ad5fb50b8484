package config

import (
	"strings"
	"testing"
)

// TestFormatMismatch checks that a workflow's format is checked against
// the printers and pool members it goes to.
func TestFormatMismatch(t *testing.T) {
	printers := `printers:
  - {name: pdfonly, driver: ipp, ipp: {uri: "ipp://h/ipp/print", document_format: application/pdf}}
  - {name: capspdf, driver: file, file: {dir: a}, capabilities: {formats: [application/pdf]}}
  - {name: any, driver: file, file: {dir: b}}
  - {name: raw, driver: ipp, ipp: {uri: "ipp://h/ipp/print", document_format: application/octet-stream}}
pools:
  - {name: mixed, printers: [capspdf, any]}
  - {name: pdfs, printers: [capspdf]}
`
	tests := []struct {
		name    string
		target  string
		routing string
		want    string // "" for valid
	}{
		{"afp labelled as pdf", "pdfonly", "", `printer "pdfonly" would be sent afp output labelled application/pdf`},
		{"afp to a pdf-only printer", "capspdf", "", `printer "capspdf" cannot print format afp`},
		{"afp to a pool of pdf-only printers", "pdfs", "", `printer "pdfs" cannot print format afp`},
		{"afp to a pool with one capable member", "mixed", "", ""},
		{"afp to a printer that declares nothing", "any", "", ""},
		{"afp as octet-stream", "raw", "", ""},
		{"afp routed to a pdf-only printer", "any", "    routing: {outputs: {flats: capspdf}}\n", `routing.outputs.flats "capspdf" cannot print`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			y := "version: 1\n" + printers + "workflows:\n  - name: w\n    format: afp\n    printer: " + tt.target + "\n" + tt.routing
			_, err := Parse([]byte(y))
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Parse: %v; want valid", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("Parse error = %v; want one containing %q", err, tt.want)
			}
		})
	}
}
