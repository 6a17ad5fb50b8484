package ipp

import (
	"strings"

	"github.com/omsd/omsd/config"
)

// queueInfo is the queue a request addresses.
type queueInfo struct {
	path   string // the printer's path as addressed, /ipp/print/NAME
	name   string // the printer's name as addressed
	cfg    config.ReceiverQueue
	format string // the workflow's format: pdf or afp
	duplex bool   // the workflow prints two-sided
}

// queueOf resolves a printer or job URI's path. /ipp/print/NAME (and
// /ipp/print/NAME/JOBID) names a queue; an unknown or empty name goes to
// the default queue when one is configured.
func (s *Server) queueOf(path string) (queueInfo, bool) {
	rest, ok := strings.CutPrefix(path, printerPath)
	if !ok || (rest != "" && rest[0] != '/') {
		return queueInfo{}, false
	}
	name, _, _ := strings.Cut(strings.TrimPrefix(rest, "/"), "/")
	q, found := s.conf.ReceiverQueue(name)
	if !found {
		return queueInfo{}, false
	}
	if name == "" {
		name = q.Name
	}
	format, duplex := "pdf", false
	if wf, ok := s.conf.Workflow(q.Workflow); ok {
		format = firstOf(wf.Format, format)
		duplex = wf.Duplex
	}
	return queueInfo{path: printerPath + "/" + name, name: name, cfg: q, format: format, duplex: duplex}, true
}

// printerList names the printer URIs, for an error message.
func (s *Server) printerList(req *request) string {
	var b strings.Builder
	for i, n := range s.order {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s.Scheme() + "://" + req.http.Host + printerPath + "/" + n)
	}
	if b.Len() == 0 {
		return "(none: configure receivers.queues)"
	}
	return b.String()
}

// printerURI is the URI of the printer req addresses, with the host the
// client used.
func (s *Server) printerURI(req *request) string {
	return s.Scheme() + "://" + req.http.Host + req.queue.path
}

// moreInfoURI is the printer's http(s) URI, for printer-more-info.
func (s *Server) moreInfoURI(req *request) string {
	scheme := "http"
	if s.tls != nil {
		scheme = "https"
	}
	return scheme + "://" + req.http.Host + req.queue.path
}

// sidesOf is how the queue's workflow prints: its one sides value.
func sidesOf(q queueInfo) string {
	if q.duplex {
		return "two-sided-long-edge"
	}
	return "one-sided"
}
