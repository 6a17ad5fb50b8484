package ipp

import (
	"fmt"
	"strings"
	"time"

	"github.com/OpenPrinting/goipp"

	"github.com/omsd/omsd/api"
)

// printerGroupOf names the group a printer attribute belongs to:
// job-template for the -default/-supported of job template attributes,
// printer-description for the rest.
func printerGroupOf(name string) string {
	base := strings.TrimSuffix(strings.TrimSuffix(name, "-default"), "-supported")
	if base != name && jobTemplate[base] {
		return "job-template"
	}
	return "printer-description"
}

// getPrinterAttributes describes the queue as a printer; requested-
// attributes selects (all, job-template, printer-description, or names).
func (s *Server) getPrinterAttributes(req *request) *goipp.Message {
	if f := opString(req.msg, "document-format"); f != "" && f != formatOctets && f != workflowFormat(req.queue.format) {
		return s.fail(req, goipp.StatusErrorDocumentFormatNotSupported, "document-format "+f+" is not taken by printer "+req.queue.name)
	}
	r := newResponse(req.msg.Version, req.msg.RequestID, goipp.StatusOk, "")
	r.group(goipp.TagPrinterGroup, requestedOf(req.msg, "all").filter(s.printerAttributes(req), printerGroupOf))
	return r.msg
}

// printerAttributes describes the queue req addresses.
func (s *Server) printerAttributes(req *request) goipp.Attributes {
	q := req.queue
	var a attrs
	a.str("printer-uri-supported", goipp.TagURI, s.printerURI(req))
	if s.tls != nil {
		a.str("uri-security-supported", goipp.TagKeyword, "tls")
	} else {
		a.str("uri-security-supported", goipp.TagKeyword, "none")
	}
	if s.users != nil {
		a.str("uri-authentication-supported", goipp.TagKeyword, "basic")
	} else {
		a.str("uri-authentication-supported", goipp.TagKeyword, "requesting-user-name")
	}
	a.str("printer-name", goipp.TagName, clip(q.name, 127))
	a.str("printer-info", goipp.TagText, clip(fmt.Sprintf("omsd queue %s (workflow %s)", q.cfg.Name, q.cfg.Workflow), 127))
	a.str("printer-location", goipp.TagText, "omsd")
	a.str("printer-make-and-model", goipp.TagText, "omsd output management")
	a.str("printer-more-info", goipp.TagURI, s.moreInfoURI(req))
	a.str("printer-uuid", goipp.TagURI, printerUUID(q.cfg.Name))
	active := s.activeJobs(req)
	state := 3
	if active > 0 {
		state = 4
	}
	a.ints("printer-state", goipp.TagEnum, state)
	a.str("printer-state-reasons", goipp.TagKeyword, "none")
	a.add("printer-is-accepting-jobs", goipp.TagBoolean, goipp.Boolean(true))
	a.ints("queued-job-count", goipp.TagInteger, active)
	a.ints("printer-up-time", goipp.TagInteger, upTime(time.Now()))
	a.add("printer-current-time", goipp.TagDateTime, goipp.Time{Time: time.Now()})
	a.str("ipp-versions-supported", goipp.TagKeyword, "1.0", "1.1", "2.0")
	ops := make([]int, len(supportedOps))
	for i, op := range supportedOps {
		ops[i] = int(op)
	}
	a.ints("operations-supported", goipp.TagEnum, ops...)
	a.str("charset-configured", goipp.TagCharset, "utf-8")
	a.str("charset-supported", goipp.TagCharset, "utf-8", "us-ascii")
	a.str("natural-language-configured", goipp.TagLanguage, "en")
	a.str("generated-natural-language-supported", goipp.TagLanguage, "en")
	a.str("document-format-default", goipp.TagMimeType, formatOctets)
	a.str("document-format-supported", goipp.TagMimeType, formatsSupported(q)...)
	a.str("compression-supported", goipp.TagKeyword, compressions...)
	a.str("pdl-override-supported", goipp.TagKeyword, "not-attempted")
	a.add("multiple-document-jobs-supported", goipp.TagBoolean, goipp.Boolean(false))
	a.ints("multiple-operation-time-out", goipp.TagInteger, int(createdTimeout/time.Second))
	a.add("job-k-octets-supported", goipp.TagRange, goipp.Range{Lower: 0, Upper: int(min(int64(s.cfg.MaxDocument)>>10, 1<<31-1))})
	a.add("color-supported", goipp.TagBoolean, goipp.Boolean(false))
	a.ints("pages-per-minute", goipp.TagInteger, 1)
	// Job template attributes: omsd's workflow decides layout, so each
	// but copies has the one value that leaves the document as sent.
	a.ints("copies-default", goipp.TagInteger, 1)
	a.add("copies-supported", goipp.TagRange, goipp.Range{Lower: 1, Upper: MaxCopies})
	a.ints("finishings-default", goipp.TagEnum, 3)
	a.ints("finishings-supported", goipp.TagEnum, 3)
	a.str("job-hold-until-default", goipp.TagKeyword, "no-hold")
	a.str("job-hold-until-supported", goipp.TagKeyword, "no-hold")
	a.str("job-sheets-default", goipp.TagKeyword, "none")
	a.str("job-sheets-supported", goipp.TagKeyword, "none")
	a.str("media-default", goipp.TagKeyword, "iso_a4_210x297mm")
	a.str("media-supported", goipp.TagKeyword, "iso_a4_210x297mm", "na_letter_8.5x11in")
	a.str("multiple-document-handling-default", goipp.TagKeyword, "single-document")
	a.str("multiple-document-handling-supported", goipp.TagKeyword, "single-document")
	a.ints("number-up-default", goipp.TagInteger, 1)
	a.ints("number-up-supported", goipp.TagInteger, 1)
	a.ints("orientation-requested-default", goipp.TagEnum, 3)
	a.ints("orientation-requested-supported", goipp.TagEnum, 3)
	a.str("output-bin-default", goipp.TagKeyword, "face-down")
	a.str("output-bin-supported", goipp.TagKeyword, "face-down")
	a.ints("print-quality-default", goipp.TagEnum, 4)
	a.ints("print-quality-supported", goipp.TagEnum, 4)
	res := goipp.Resolution{Xres: 600, Yres: 600, Units: goipp.UnitsDpi}
	a.add("printer-resolution-default", goipp.TagResolution, res)
	a.add("printer-resolution-supported", goipp.TagResolution, res)
	a.str("sides-default", goipp.TagKeyword, sidesOf(q))
	a.str("sides-supported", goipp.TagKeyword, sidesOf(q))
	return a.list
}

// activeJobs counts the queue's jobs not yet finished.
func (s *Server) activeJobs(req *request) int {
	jobs, err := s.backend.Jobs(req.http.Context(), api.JobQuery{States: []string{"pending", "held", "processing", "stopped"}, All: true, Limit: 10000})
	if err != nil {
		return 0
	}
	n := 0
	for _, j := range jobs {
		if j.Source == "ipp" && originQueue(j.Origin) == req.queue.name {
			n++
		}
	}
	return n
}

// originQueue reads the queue from an IPP job's origin
// ("ipp USER@HOST queue NAME [ipp-job N]").
func originQueue(origin string) string {
	_, rest, ok := strings.Cut(origin, " queue ")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, " ")
	return name
}

// printerUUID is a stable urn:uuid for a queue name (RFC 4122 version 5
// layout over a hash of the name).
func printerUUID(name string) string {
	var h [16]byte
	sum := fnv128(name)
	copy(h[:], sum)
	h[6] = (h[6] & 0x0f) | 0x50
	h[8] = (h[8] & 0x3f) | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}
