package ipp

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"errors"
	"fmt"
	"io"

	"github.com/OpenPrinting/goipp"
)

// The document formats a queue takes: its workflow's format, or
// application/octet-stream, which is sniffed.
const (
	formatPDF    = "application/pdf"
	formatAFP    = "application/vnd.ibm.modcap"
	formatOctets = "application/octet-stream"
)

// workflowFormat is the document format of a workflow format.
func workflowFormat(f string) string {
	if f == "afp" {
		return formatAFP
	}
	return formatPDF
}

// formatsSupported lists document-format-supported for a queue.
func formatsSupported(q queueInfo) []string {
	return []string{workflowFormat(q.format), formatOctets}
}

// compressions lists compression-supported.
var compressions = []string{"none", "gzip", "deflate"}

// ErrDocumentTooLarge is a document over receivers.ipp.max_document.
var ErrDocumentTooLarge = errors.New("ipp: document too large")

// checkDocumentAttrs checks document-format and compression as the
// request gives them, before any document byte is read.
func checkDocumentAttrs(req *request) (goipp.Status, string) {
	if f := opString(req.msg, "document-format"); f != "" && f != formatOctets && f != workflowFormat(req.queue.format) {
		return goipp.StatusErrorDocumentFormatNotSupported,
			fmt.Sprintf("document-format %s is not taken by printer %s; send %s", f, req.queue.name, workflowFormat(req.queue.format))
	}
	if n, ok := jobInt(req.msg, "copies"); ok && (n < 1 || n > MaxCopies) {
		return goipp.StatusErrorAttributesOrValues, fmt.Sprintf("copies %d is not supported; ask for 1 to %d", n, MaxCopies)
	}
	if sides := jobString(req.msg, "sides"); sides != "" && sides != sidesOf(req.queue) {
		if fidelity, _ := opBool(req.msg, "ipp-attribute-fidelity"); fidelity {
			return goipp.StatusErrorAttributesOrValues, fmt.Sprintf("printer %s prints %s (its workflow decides); send the job without sides %s", req.queue.name, sidesOf(req.queue), sides)
		}
	}
	switch c := opString(req.msg, "compression"); c {
	case "", "none", "gzip", "deflate":
	default:
		return goipp.StatusErrorCompressionNotSupported, "compression " + c + " is not supported; use none, gzip or deflate"
	}
	return goipp.StatusOk, ""
}

// statusError is an IPP status with its message.
type statusError struct {
	status goipp.Status
	msg    string
}

func (e *statusError) Error() string { return e.msg }

// openDocument returns the document of req, decompressed, bounded to max
// bytes, and checked to be the queue's format by its first bytes.
func openDocument(req *request, max int64) (io.Reader, error) {
	var r io.Reader = req.body
	switch opString(req.msg, "compression") {
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, &statusError{goipp.StatusErrorCompressionError, "the document is not gzip-compressed: " + err.Error()}
		}
		r = zr
	case "deflate":
		r = flate.NewReader(r)
	}
	br := bufio.NewReaderSize(&maxReader{r: r, max: max}, 64<<10)
	head, err := br.Peek(8)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, documentError(err)
	}
	want := req.queue.format
	if got := sniff(head); got != want {
		return nil, &statusError{goipp.StatusErrorDocumentFormatNotSupported,
			fmt.Sprintf("the document is %s; printer %s takes %s", describeFormat(got), req.queue.name, workflowFormat(want))}
	}
	return br, nil
}

// sniff names a document's format from its first bytes: pdf, afp or "".
func sniff(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return "pdf"
	case len(head) > 0 && head[0] == 0x5A:
		return "afp"
	}
	return ""
}

func describeFormat(f string) string {
	switch f {
	case "pdf":
		return "PDF"
	case "afp":
		return "AFP"
	}
	return "neither PDF nor AFP"
}

// documentError turns an error reading the document into an IPP status.
func documentError(err error) error {
	var se *statusError
	switch {
	case errors.As(err, &se):
		return se
	case errors.Is(err, ErrDocumentTooLarge):
		return &statusError{goipp.StatusErrorRequestEntity, err.Error() + "; send it into a hot folder, or raise receivers.ipp.max_document"}
	case errors.Is(err, gzip.ErrChecksum), errors.Is(err, gzip.ErrHeader), errors.Is(err, io.ErrUnexpectedEOF):
		return &statusError{goipp.StatusErrorCompressionError, "the document does not decompress: " + err.Error()}
	}
	var ce flate.CorruptInputError
	if errors.As(err, &ce) {
		return &statusError{goipp.StatusErrorCompressionError, "the document does not decompress: " + err.Error()}
	}
	return err
}

// maxReader fails once more than left bytes were read.
type maxReader struct {
	r    io.Reader
	max  int64
	read int64
}

func (m *maxReader) Read(p []byte) (int, error) {
	if left := m.max - m.read + 1; int64(len(p)) > left {
		p = p[:left]
	}
	n, err := m.r.Read(p)
	m.read += int64(n)
	if m.read > m.max {
		return 0, fmt.Errorf("%w: over %d bytes", ErrDocumentTooLarge, m.max)
	}
	return n, err
}
