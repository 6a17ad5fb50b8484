package ipp

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/OpenPrinting/goipp"

	"github.com/omsd/omsd/intake/receiver"
)

// serve checks what every request must carry (RFC 8011 4.1) and runs its
// operation.
func (s *Server) serve(req *request) *goipp.Message {
	m := req.msg
	v := m.Version
	if v.Major() < 1 || v.Major() > 2 {
		return s.errorResponse(goipp.DefaultVersion, m.RequestID, goipp.StatusErrorVersionNotSupported,
			"IPP version "+v.String()+" is not supported; use 1.1 or 2.0")
	}
	if m.RequestID == 0 {
		return s.errorResponse(v, 0, goipp.StatusErrorBadRequest, "request-id must not be 0")
	}
	if st, why := checkOperationGroup(m); st != goipp.StatusOk {
		return s.errorResponse(v, m.RequestID, st, why)
	}
	target := opAttr(m, "printer-uri")
	if target == nil {
		target = opAttr(m, "job-uri")
	}
	if target == nil {
		return s.errorResponse(v, m.RequestID, goipp.StatusErrorBadRequest, "printer-uri (or job-uri) is missing")
	}
	q, ok := s.queueOf(uriPath(target.Values[0].V.String()))
	if !ok {
		why := "no such printer; the printers are " + s.printerList(req)
		s.refuse(req.peer, receiver.RefusedQueue, why)
		return s.errorResponse(v, m.RequestID, goipp.StatusErrorNotFound, why)
	}
	req.queue = q
	if !req.authed {
		req.user = strings.TrimSpace(opString(m, "requesting-user-name"))
	}
	handler, ok := s.operations()[goipp.Op(m.Code)]
	if !ok {
		return s.errorResponse(v, m.RequestID, goipp.StatusErrorOperationNotSupported,
			goipp.Op(m.Code).String()+" is not supported")
	}
	return handler(req)
}

// operations maps each supported operation to its handler.
func (s *Server) operations() map[goipp.Op]func(*request) *goipp.Message {
	return map[goipp.Op]func(*request) *goipp.Message{
		goipp.OpPrintJob:             s.printJob,
		goipp.OpValidateJob:          s.validateJob,
		goipp.OpCreateJob:            s.createJob,
		goipp.OpSendDocument:         s.sendDocument,
		goipp.OpCloseJob:             s.closeJob,
		goipp.OpCancelJob:            s.cancelJob,
		goipp.OpGetJobAttributes:     s.getJobAttributes,
		goipp.OpGetJobs:              s.getJobs,
		goipp.OpGetPrinterAttributes: s.getPrinterAttributes,
	}
}

// supportedOps lists operations-supported, in the order of operations.
var supportedOps = []goipp.Op{goipp.OpPrintJob, goipp.OpValidateJob, goipp.OpCreateJob, goipp.OpSendDocument,
	goipp.OpCancelJob, goipp.OpGetJobAttributes, goipp.OpGetJobs, goipp.OpGetPrinterAttributes, goipp.OpCloseJob}

// checkOperationGroup: attributes-charset first, then
// attributes-natural-language, in the operation group (RFC 8011 4.1.4).
func checkOperationGroup(m *goipp.Message) (goipp.Status, string) {
	ops := m.Operation
	if len(ops) < 2 || ops[0].Name != "attributes-charset" || ops[1].Name != "attributes-natural-language" {
		return goipp.StatusErrorBadRequest, "the operation attributes must begin with attributes-charset and attributes-natural-language"
	}
	if len(ops[0].Values) != 1 || ops[0].Values[0].T != goipp.TagCharset {
		return goipp.StatusErrorBadRequest, "attributes-charset must be one charset"
	}
	switch strings.ToLower(ops[0].Values[0].V.String()) {
	case "utf-8", "us-ascii":
	default:
		return goipp.StatusErrorCharset, "attributes-charset must be utf-8"
	}
	if len(ops[1].Values) != 1 || ops[1].Values[0].T != goipp.TagLanguage {
		return goipp.StatusErrorBadRequest, "attributes-natural-language must be one language"
	}
	return goipp.StatusOk, ""
}

// opAttr returns the operation attribute name, nil when absent or empty.
func opAttr(m *goipp.Message, name string) *goipp.Attribute {
	for i := range m.Operation {
		if m.Operation[i].Name == name && len(m.Operation[i].Values) > 0 {
			return &m.Operation[i]
		}
	}
	return nil
}

// opString is the first value of an operation attribute as text.
func opString(m *goipp.Message, name string) string {
	if a := opAttr(m, name); a != nil {
		return a.Values[0].V.String()
	}
	return ""
}

// opInt is the first value of an integer operation attribute.
func opInt(m *goipp.Message, name string) (int, bool) {
	if a := opAttr(m, name); a != nil {
		if n, ok := a.Values[0].V.(goipp.Integer); ok {
			return int(n), true
		}
	}
	return 0, false
}

// opBool is a boolean operation attribute; ok is false when absent or
// not a boolean.
func opBool(m *goipp.Message, name string) (v, ok bool) {
	if a := opAttr(m, name); a != nil {
		if b, isBool := a.Values[0].V.(goipp.Boolean); isBool {
			return bool(b), true
		}
	}
	return false, false
}

// opStrings is every value of an operation attribute as text.
func opStrings(m *goipp.Message, name string) []string {
	a := opAttr(m, name)
	if a == nil {
		return nil
	}
	out := make([]string, 0, len(a.Values))
	for _, v := range a.Values {
		out = append(out, v.V.String())
	}
	return out
}

// uriPath is the path of a printer or job URI.
func uriPath(uri string) string {
	u, err := url.Parse(uri)
	if err != nil {
		return ""
	}
	return u.Path
}

// jobIDOf is the job a request names: job-id, or the last element of
// job-uri (PRINTER-URI/ID).
func jobIDOf(m *goipp.Message) (int64, bool) {
	if id, ok := opInt(m, "job-id"); ok {
		return int64(id), id > 0
	}
	p := uriPath(opString(m, "job-uri"))
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return 0, false
	}
	id, err := strconv.ParseInt(p[i+1:], 10, 32)
	return id, err == nil && id > 0
}

// MaxCopies is the most copies a job may ask for (copies-supported).
const MaxCopies = receiver.MaxCopies

// jobInt is the first value of an integer job template attribute.
func jobInt(m *goipp.Message, name string) (int, bool) {
	for _, a := range m.Job {
		if a.Name == name && len(a.Values) > 0 {
			n, ok := a.Values[0].V.(goipp.Integer)
			return int(n), ok
		}
	}
	return 0, false
}

// jobCopies is the copies a job asks for: 1 unless it says.
func jobCopies(m *goipp.Message) int {
	if n, ok := jobInt(m, "copies"); ok && n >= 1 {
		return n
	}
	return 1
}

// jobString is the first value of a job template attribute as text.
func jobString(m *goipp.Message, name string) string {
	for _, a := range m.Job {
		if a.Name == name && len(a.Values) > 0 {
			return a.Values[0].V.String()
		}
	}
	return ""
}
