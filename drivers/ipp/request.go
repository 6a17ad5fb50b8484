package ipp

import (
	"unicode/utf8"

	goipp "github.com/phin1x/go-ipp"

	"github.com/omsd/omsd/drivers"
)

// Attributes go-ipp has no name for.
const (
	attrPrinterUpTime    = "printer-up-time"
	attrJobPrinterUpTime = "job-printer-up-time"
)

// Attributes the driver asks for.
var (
	printerStatusAttrs = []string{
		goipp.AttributePrinterState, goipp.AttributePrinterStateReasons,
		goipp.AttributePrinterIsAcceptingJobs, goipp.AttributePrinterInfo,
		goipp.AttributePrinterMakeAndModel, attrPrinterUpTime,
	}
	jobStatusAttrs = []string{
		goipp.AttributeJobState, goipp.AttributeJobStateReasons, goipp.AttributeJobStateMessage, goipp.AttributeJobName,
		"job-media-sheets-completed", goipp.AttributeJobImpressionsCompleted, attrJobPrinterUpTime,
	}
)

// newRequest starts a request with printer-uri and requesting-user-name.
// Every request gets fresh attribute maps, since go-ipp's encoder deletes
// entries from the maps it encodes.
func (d *Driver) newRequest(op int16) *goipp.Request {
	req := goipp.NewRequest(op, d.reqID.Add(1))
	req.OperationAttributes[goipp.AttributePrinterURI] = d.printerURI
	req.OperationAttributes[goipp.AttributeRequestingUserName] = d.cfg.Username
	return req
}

// printerAttrsRequest asks for the printer's status attributes.
func (d *Driver) printerAttrsRequest() *goipp.Request {
	req := d.newRequest(goipp.OperationGetPrinterAttributes)
	req.OperationAttributes[goipp.AttributeRequestedAttributes] = append([]string(nil), printerStatusAttrs...)
	return req
}

// jobRequest is a Get-Job-Attributes or Cancel-Job request for jobID.
func (d *Driver) jobRequest(op int16, jobID int) *goipp.Request {
	req := d.newRequest(op)
	req.OperationAttributes[goipp.AttributeJobID] = jobID
	if op == goipp.OperationGetJobAttributes {
		req.OperationAttributes[goipp.AttributeRequestedAttributes] = append([]string(nil), jobStatusAttrs...)
	}
	return req
}

// printJobRequest is a Print-Job request; the caller sets File and FileSize.
func (d *Driver) printJobRequest(name, format string, copies int) *goipp.Request {
	req := d.newRequest(goipp.OperationPrintJob)
	req.OperationAttributes[goipp.AttributeJobName] = truncate(name, maxName)
	req.OperationAttributes[goipp.AttributeDocumentFormat] = format
	if d.cfg.Sides != "" {
		req.JobAttributes[goipp.AttributeSides] = d.cfg.Sides
	}
	if d.cfg.Copies > 0 || copies > 1 {
		req.JobAttributes[goipp.AttributeCopies] = copies
	}
	if d.cfg.Media != "" {
		req.JobAttributes[goipp.AttributeMedia] = d.cfg.Media
	}
	return req
}

// truncate cuts s to at most n bytes at a character boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// firstGroup returns the first attribute group of a kind, or none.
func firstGroup(groups []goipp.Attributes) goipp.Attributes {
	if len(groups) == 0 {
		return goipp.Attributes{}
	}
	return groups[0]
}

// firstInt returns the first value of an integer or enum attribute.
func firstInt(attrs goipp.Attributes, name string) (int, bool) {
	for _, a := range attrs[name] {
		if v, ok := a.Value.(int); ok {
			return v, true
		}
	}
	return 0, false
}

// firstBool returns the first value of a boolean attribute.
func firstBool(attrs goipp.Attributes, name string) (bool, bool) {
	for _, a := range attrs[name] {
		if v, ok := a.Value.(bool); ok {
			return v, true
		}
	}
	return false, false
}

// firstString returns the first value of a text, name or keyword attribute.
func firstString(attrs goipp.Attributes, name string) (string, bool) {
	vs := allStrings(attrs, name)
	if len(vs) == 0 {
		return "", false
	}
	return vs[0], true
}

// allStrings returns all string values of an attribute.
func allStrings(attrs goipp.Attributes, name string) []string {
	var vs []string
	for _, a := range attrs[name] {
		if v, ok := a.Value.(string); ok {
			vs = append(vs, v)
		}
	}
	return vs
}

// SendsCopies says the printer makes a document's copies itself: Send
// asks for them with the copies attribute.
func (d *Driver) SendsCopies() bool { return true }

// copies is the copies the printer is asked for: the job's, times the
// printer's configured copies.
func (d *Driver) copies(doc drivers.Document) int {
	return max(doc.Copies, 1) * max(d.cfg.Copies, 1)
}
