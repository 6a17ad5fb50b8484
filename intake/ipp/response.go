package ipp

import (
	"github.com/OpenPrinting/goipp"
)

// response is a response being built, group by group.
type response struct {
	msg *goipp.Message
}

// newResponse starts a response with the operation group every response
// begins with (and status-message, when message is not empty).
func newResponse(v goipp.Version, id uint32, st goipp.Status, message string) *response {
	op := goipp.Group{Tag: goipp.TagOperationGroup}
	op.Add(goipp.MakeAttribute("attributes-charset", goipp.TagCharset, goipp.String("utf-8")))
	op.Add(goipp.MakeAttribute("attributes-natural-language", goipp.TagLanguage, goipp.String("en")))
	if message != "" {
		if len(message) > 255 {
			message = message[:255]
		}
		op.Add(goipp.MakeAttribute("status-message", goipp.TagText, goipp.String(message)))
	}
	m := goipp.NewResponse(v, st, id)
	m.Groups = goipp.Groups{op}
	return &response{msg: m}
}

// group appends a group of attributes.
func (r *response) group(tag goipp.Tag, attrs goipp.Attributes) {
	r.msg.Groups.Add(goipp.Group{Tag: tag, Attrs: attrs})
}

// errorResponse is a response with only the operation group.
func (s *Server) errorResponse(v goipp.Version, id uint32, st goipp.Status, message string) *goipp.Message {
	return newResponse(v, id, st, message).msg
}

// fail answers req with st and message.
func (s *Server) fail(req *request, st goipp.Status, message string) *goipp.Message {
	return s.errorResponse(req.msg.Version, req.msg.RequestID, st, message)
}

// attrs builds attribute lists.
type attrs struct{ list goipp.Attributes }

func (a *attrs) add(name string, tag goipp.Tag, vals ...goipp.Value) {
	if len(vals) == 0 {
		return
	}
	a.list.Add(goipp.MakeAttr(name, tag, vals[0], vals[1:]...))
}

func (a *attrs) str(name string, tag goipp.Tag, vals ...string) {
	vs := make([]goipp.Value, len(vals))
	for i, v := range vals {
		vs[i] = goipp.String(v)
	}
	a.add(name, tag, vs...)
}

func (a *attrs) ints(name string, tag goipp.Tag, vals ...int) {
	vs := make([]goipp.Value, len(vals))
	for i, v := range vals {
		vs[i] = goipp.Integer(v)
	}
	a.add(name, tag, vs...)
}

func (a *attrs) noValue(name string) {
	a.add(name, goipp.TagNoValue, goipp.Void{})
}

// requested is the set of attribute names (and group names) a request asks
// for; nil asks for the default.
type requested map[string]bool

// requestedOf reads requested-attributes; empty means def.
func requestedOf(m *goipp.Message, def ...string) requested {
	names := opStrings(m, "requested-attributes")
	if len(names) == 0 {
		names = def
	}
	r := requested{}
	for _, n := range names {
		r[n] = true
	}
	return r
}

// filter keeps the attributes r asks for; group names the attributes of
// the group (e.g. job-description) that belong to it.
func (r requested) filter(list goipp.Attributes, group func(name string) string) goipp.Attributes {
	if r["all"] {
		return list
	}
	var out goipp.Attributes
	for _, a := range list {
		if r[a.Name] || r[group(a.Name)] {
			out = append(out, a)
		}
	}
	return out
}
