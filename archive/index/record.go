package index

import "time"

// Record is what the archive knows of one archived piece: who sent it
// where and when, its index fields, and where its bytes lie.
type Record struct {
	ID         string `json:"id"` // "JOB-SEQ-GENERATION", "-CHANNEL" added for a digital delivery
	Job        int64  `json:"job"`
	Seq        int    `json:"seq"`
	Generation int    `json:"generation"`
	Envelope   int    `json:"envelope,omitempty"`
	Name       string `json:"name,omitempty"` // the piece's own name, e.g. its page group's
	Workflow   string `json:"workflow"`
	Channel    string `json:"channel"` // "print", "email" or "portal"
	Printer    string `json:"printer,omitempty"`
	// Recipient is where a digital piece went: the e-mail address, or the
	// portal's file and webhook.
	Recipient string    `json:"recipient,omitempty"`
	Output    string    `json:"output,omitempty"`
	Format    string    `json:"format"` // "pdf" or "afp"
	Pages     int       `json:"pages"`
	Sent      time.Time `json:"sent"`
	Size      int64     `json:"size"`   // bytes as sent
	SHA256    string    `json:"sha256"` // of the bytes as sent, hex
	// Fields are the workflow's index fields; Text the name and address
	// lines searched as text.
	Fields      map[string]string `json:"fields,omitempty"`
	Text        []string          `json:"text,omitempty"`
	RetainUntil time.Time         `json:"retain_until"`
	// Segment, Offset and Length say where the compressed frame lies.
	Segment string `json:"segment"`
	Offset  int64  `json:"offset"`
	Length  int64  `json:"length"`
}

// Builtin are the field names every record is searchable by, beside the
// workflow's index fields. (A piece's ID finds its record directly, field
// "piece"; its time sent is field "sent" and --from/--to.)
var Builtin = []string{"job", "envelope", "workflow", "channel", "printer", "recipient", "output", "generation", "name"}

// builtinValue returns the record's value of the builtin field f.
func (r Record) builtinValue(f string) string {
	switch f {
	case "job":
		return itoa(r.Job)
	case "envelope":
		if r.Envelope == 0 {
			return ""
		}
		return itoa(int64(r.Envelope))
	case "workflow":
		return r.Workflow
	case "channel":
		return r.Channel
	case "printer":
		return r.Printer
	case "recipient":
		return r.Recipient
	case "output":
		return r.Output
	case "generation":
		return itoa(int64(r.Generation))
	case "name":
		return r.Name
	}
	return ""
}
