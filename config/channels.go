package config

import (
	"fmt"
	htmltemplate "html/template"
	"net/mail"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/omsd/omsd/meta"
)

// Channel names a piece's delivery channel.
const (
	PrintChannel      = "print"
	EmailChannel      = "email"
	PortalChannel     = "portal"
	EmailPrintChannel = "email+print"
	SuppressChannel   = "suppress"
)

// Channels are the channel values a decision may take.
var Channels = []string{PrintChannel, EmailChannel, PortalChannel, EmailPrintChannel, SuppressChannel}

// WorkflowChannels decides, before planning, whether each piece is
// printed, e-mailed, dropped into a portal, both e-mailed and printed, or
// suppressed; and how the digital channels deliver.
type WorkflowChannels struct {
	// Field is the metadata field that names a piece's channel (default
	// "channel"); it wins over the preference file.
	Field string `yaml:"field"`
	// Preferences is a CSV (customer_id,channel[,email]) or JSON
	// ({"ID": "email"} or {"ID": {"channel": ..., "email": ...}}) file
	// keyed by customer id, read again whenever it changes.
	Preferences string `yaml:"preferences"`
	// CustomerField is the metadata field holding the customer id
	// (default "customer_id").
	CustomerField string `yaml:"customer_field"`
	// Rules decide the channel of a piece neither its metadata field nor
	// the preference file names: the first whose field matches wins.
	Rules []ChannelRule `yaml:"rules"`
	// Default is the channel of a piece nothing names (default print).
	Default string `yaml:"default"`
	// ForcePrint prints every piece whatever its channel (a test mode).
	ForcePrint bool `yaml:"force_print"`
	// PauseEmail holds e-mails unsent until it is turned off.
	PauseEmail bool `yaml:"pause_email"`
	// RedirectAllTo sends every e-mail to this address instead (a test mode).
	RedirectAllTo string `yaml:"redirect_all_to"`
	// An AFP workflow's pieces are delivered as PDF (the print file
	// rendered by afp/topdf), and its FallbackWorkflow must be a PDF
	// workflow.
	// PDFA makes each piece's own PDF PDF/A-2b (every font it uses must
	// be embedded; a piece that cannot be falls back to print). A
	// password-protected attachment is not PDF/A.
	PDFA bool `yaml:"pdfa"`
	// FallbackCutoffs are the times of day (HH:MM, local) of the print
	// runs that pieces failing digital delivery join: they wait for the
	// next cut-off after their failure, and go to print together. Empty:
	// each pass's failures go to print at once.
	FallbackCutoffs []string `yaml:"fallback_cutoffs"`
	// FallbackWorkflow is the workflow of the print jobs that pieces
	// failing digital delivery go to (default: this workflow).
	FallbackWorkflow string          `yaml:"fallback_workflow"`
	Email            *EmailSettings  `yaml:"email"`
	Portal           *PortalSettings `yaml:"portal"`
}

// ChannelRule gives pieces whose metadata field matches a channel.
type ChannelRule struct {
	Field string `yaml:"field"`
	// Value is the field's exact value; Pattern, instead, a regular
	// expression it must match.
	Value   string `yaml:"value"`
	Pattern string `yaml:"pattern"`
	Channel string `yaml:"channel"`

	re *regexp.Regexp
}

// Matches reports whether a piece's metadata meets the rule.
func (r ChannelRule) Matches(m meta.Fields) bool {
	v, ok := m.Lookup(r.Field)
	if !ok {
		return false
	}
	if r.re != nil {
		return r.re.MatchString(v)
	}
	return v == r.Value
}

// EmailSettings is how pieces are e-mailed.
type EmailSettings struct {
	Host string `yaml:"host"`
	Port int    `yaml:"port"` // default 587 (starttls) or 465 (tls)
	// Security is starttls (required, the default) or tls (implicit).
	Security string `yaml:"security"`
	// CAFile holds the CA certificates the server's is verified against
	// (default: the system's).
	CAFile string `yaml:"ca_file"`
	// Insecure skips verifying the server's certificate; logged at start.
	Insecure bool   `yaml:"insecure"`
	Username string `yaml:"username"`
	Password string `yaml:"password"`
	From     string `yaml:"from"`
	// ToField is the metadata field with the recipient's address
	// (default "email"); the preference file's address wins.
	ToField string `yaml:"to_field"`
	// Subject, Text and HTML are Go templates over the piece: {{.Meta.name}},
	// {{.Seq}}, {{.Job}}. HTML is optional.
	Subject string `yaml:"subject"`
	Text    string `yaml:"text"`
	HTML    string `yaml:"html"`
	// Attachment names the attached PDF (a template; default piece-{{.Seq}}.pdf).
	Attachment string `yaml:"attachment"`
	// Rate is the most messages a second (0: no limit), over all
	// Connections (default 1, at most 32) open at once.
	Rate        float64 `yaml:"rate"`
	Connections int     `yaml:"connections"`
	// Attempts is how often a temporary failure (4xx) is tried before the
	// piece falls back to print (default 5); Backoff the first wait,
	// doubled each time (default 30s).
	Attempts int      `yaml:"attempts"`
	Backoff  Duration `yaml:"backoff"`
	// Timeout bounds one SMTP conversation (default 60s).
	Timeout Duration `yaml:"timeout"`
	// PDFPassword, a template over the piece like Subject (e.g.
	// "{{.Meta.birth_date}}"), protects the attached PDF with that
	// password (AES-256, revision 6; printing allowed). A piece whose
	// password comes out empty is not e-mailed: it falls back to print.
	// PDFOwnerPassword lifts the restrictions (default: a random one).
	PDFPassword      string `yaml:"pdf_password"`
	PDFOwnerPassword string `yaml:"pdf_owner_password"`
	// SMIMECert and SMIMEKey (PEM files) sign every e-mail with S/MIME
	// (multipart/signed, SHA-256) as the sender.
	SMIMECert string `yaml:"smime_cert"`
	SMIMEKey  string `yaml:"smime_key"`
	// SMIMERecipients is a folder of recipients' certificates, ADDRESS.pem
	// (the address in lower case): an e-mail to an address with one is
	// encrypted to it with S/MIME (enveloped data, AES-256-CBC; RSA keys).
	SMIMERecipients string `yaml:"smime_recipients"`
	// BounceDir is a folder of bounce messages (DSNs, one .eml file
	// each, as a mail system delivers them to a directory): a bounce of
	// a piece's e-mail sends the piece to print. Each file read is moved
	// to BounceDir/done.
	BounceDir string `yaml:"bounce_dir"`
	// BouncePOP3 is a mailbox of bounces read over POP3 with implicit
	// TLS (the certificate verified like the SMTP server's): each DSN
	// naming a piece's e-mail is applied like a bounce file, then deleted.
	BouncePOP3 *POP3Settings `yaml:"bounce_pop3"`
}

// POP3Settings is a POP3 mailbox over TLS.
type POP3Settings struct {
	Host     string `yaml:"host"`
	Port     int    `yaml:"port"` // default 995
	Username string `yaml:"username"`
	Password string `yaml:"password"`
	CAFile   string `yaml:"ca_file"`  // default: the system's CAs
	Insecure bool   `yaml:"insecure"` // skip verifying the certificate; logged
}

// PortalSettings is where pieces for the portal go: a directory, a
// webhook, or both.
type PortalSettings struct {
	// Dir receives JOB-SEQ.pdf and JOB-SEQ.json for each piece, atomically.
	Dir string `yaml:"dir"`
	// Webhook receives a POST of each piece (JSON: the record and the PDF
	// in base64), signed with HMAC-SHA256 of the body under Secret in the
	// header X-Omsd-Signature: sha256=HEX.
	Webhook string `yaml:"webhook"`
	Secret  string `yaml:"secret"`
	// Attempts and Backoff are as for e-mail: a failed POST (no 2xx) is
	// tried again after Backoff, doubled each time (defaults 5, 30s).
	Attempts int      `yaml:"attempts"`
	Backoff  Duration `yaml:"backoff"`
	// PrintUnopenedAfter sends a piece to print when the portal has not
	// reported it opened this long after its delivery (0: never). The
	// portal reports an opened piece with an empty file JOB-SEQ.opened in
	// OpenedDir (default DIR/opened); files read go to OpenedDir/done.
	PrintUnopenedAfter Duration `yaml:"print_unopened_after"`
	OpenedDir          string   `yaml:"opened_dir"`
}

// Defaults of the e-mail channel.
const (
	defaultEmailAttempts = 5
	defaultEmailBackoff  = 30 * time.Second
	defaultEmailTimeout  = 60 * time.Second
)

func (c *Config) validateChannels(bad func(string, ...any), w *Workflow) {
	ch := w.Channels
	key := fmt.Sprintf("workflow %q: channels", w.Name)
	if ch.Field == "" {
		ch.Field = "channel"
	}
	if ch.CustomerField == "" {
		ch.CustomerField = "customer_id"
	}
	if ch.Default == "" {
		ch.Default = PrintChannel
	}
	oneOf(bad, key+".default", ch.Default, Channels...)
	for _, c := range ch.FallbackCutoffs {
		if _, err := time.Parse("15:04", c); err != nil {
			bad("%s.fallback_cutoffs: %q is not a time of day HH:MM", key, c)
		}
	}
	for i := range ch.Rules {
		r := &ch.Rules[i]
		rk := fmt.Sprintf("%s.rules[%d]", key, i)
		if r.Field == "" {
			bad("%s.field is missing", rk)
		}
		oneOf(bad, rk+".channel", r.Channel, Channels...)
		if r.Pattern != "" {
			re, err := regexp.Compile(r.Pattern)
			if err != nil {
				bad("%s.pattern: %v", rk, err)
			}
			r.re = re
		}
	}
	if ch.Preferences != "" {
		ch.Preferences = c.Path(ch.Preferences)
		if ext := strings.ToLower(filepath.Ext(ch.Preferences)); ext != ".csv" && ext != ".json" {
			bad("%s.preferences: %s is neither .csv nor .json", key, ch.Preferences)
		}
	}
	if ch.RedirectAllTo != "" {
		if _, err := mail.ParseAddress(ch.RedirectAllTo); err != nil {
			bad("%s.redirect_all_to: %v", key, err)
		}
	}
	if ch.Email != nil {
		c.validateEmail(bad, key+".email", ch.Email)
	}
	if ch.Portal != nil {
		c.validatePortal(bad, key+".portal", ch.Portal)
	}
	if w.Format == "afp" && (ch.Email != nil || ch.Portal != nil) {
		// Its pieces are delivered as PDF (afp/topdf), and those that fail
		// are printed from that PDF.
		if fw, ok := c.Workflow(ch.FallbackWorkflow); !ok || fw.Format != "pdf" {
			bad("%s.fallback_workflow: an AFP workflow's pieces that fail digital delivery are printed from their PDF: name a PDF workflow", key)
		}
	} else if ch.FallbackWorkflow != "" {
		if _, ok := c.Workflow(ch.FallbackWorkflow); !ok {
			bad("%s.fallback_workflow: workflow %q is not configured", key, ch.FallbackWorkflow)
		}
	}
}

func (c *Config) validateEmail(bad func(string, ...any), key string, e *EmailSettings) {
	if e.Host == "" {
		bad("%s.host is missing", key)
	}
	if e.Security == "" {
		e.Security = "starttls"
	}
	oneOf(bad, key+".security", e.Security, "starttls", "tls")
	if e.Port == 0 {
		e.Port = 587
		if e.Security == "tls" {
			e.Port = 465
		}
	}
	if e.CAFile != "" {
		e.CAFile = c.Path(e.CAFile)
	}
	if e.BounceDir != "" {
		e.BounceDir = c.Path(e.BounceDir)
	}
	if p := e.BouncePOP3; p != nil {
		if p.Host == "" || p.Username == "" {
			bad("%s.bounce_pop3: host and username are needed", key)
		}
		if p.Port == 0 {
			p.Port = 995
		}
		if p.CAFile != "" {
			p.CAFile = c.Path(p.CAFile)
		}
	}
	if (e.SMIMECert == "") != (e.SMIMEKey == "") {
		bad("%s: smime_cert and smime_key go together", key)
	}
	if e.SMIMECert != "" {
		e.SMIMECert, e.SMIMEKey = c.Path(e.SMIMECert), c.Path(e.SMIMEKey)
	}
	if e.SMIMERecipients != "" {
		e.SMIMERecipients = c.Path(e.SMIMERecipients)
	}
	if _, err := mail.ParseAddress(e.From); err != nil {
		bad("%s.from: %v", key, err)
	}
	if e.ToField == "" {
		e.ToField = "email"
	}
	if e.Subject == "" {
		bad("%s.subject is missing", key)
	}
	if e.Text == "" {
		bad("%s.text is missing", key)
	}
	if e.Attachment == "" {
		e.Attachment = "piece-{{.Seq}}.pdf"
	}
	for name, t := range map[string]string{"subject": e.Subject, "text": e.Text, "attachment": e.Attachment, "pdf_password": e.PDFPassword} {
		if _, err := texttemplate.New(name).Parse(t); err != nil {
			bad("%s.%s: %v", key, name, err)
		}
	}
	if _, err := htmltemplate.New("html").Parse(e.HTML); err != nil {
		bad("%s.html: %v", key, err)
	}
	if e.Rate < 0 {
		bad("%s.rate must not be negative", key)
	}
	if e.Connections == 0 {
		e.Connections = 1
	}
	if e.Connections < 1 || e.Connections > 32 {
		bad("%s.connections: %d is not between 1 and 32", key, e.Connections)
	}
	if e.Attempts == 0 {
		e.Attempts = defaultEmailAttempts
	}
	if e.Backoff == 0 {
		e.Backoff = Duration(defaultEmailBackoff)
	}
	if e.Timeout == 0 {
		e.Timeout = Duration(defaultEmailTimeout)
	}
}

func (c *Config) validatePortal(bad func(string, ...any), key string, p *PortalSettings) {
	if p.Dir == "" && p.Webhook == "" {
		bad("%s: dir or webhook is missing", key)
	}
	if p.Dir != "" {
		p.Dir = c.Path(p.Dir)
	}
	if p.Webhook != "" {
		u, err := url.Parse(p.Webhook)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			bad("%s.webhook: %q is not an http(s) URL", key, p.Webhook)
		}
		if p.Secret == "" {
			bad("%s.secret is missing: the webhook's requests are signed with it", key)
		}
	}
	if p.PrintUnopenedAfter > 0 && p.OpenedDir == "" {
		if p.Dir == "" {
			bad("%s.opened_dir is missing: print_unopened_after needs the portal's reports of opened pieces", key)
		}
		p.OpenedDir = filepath.Join(p.Dir, "opened")
	}
	if p.OpenedDir != "" {
		p.OpenedDir = c.Path(p.OpenedDir)
	}
	if p.Attempts == 0 {
		p.Attempts = defaultEmailAttempts
	}
	if p.Backoff == 0 {
		p.Backoff = Duration(defaultEmailBackoff)
	}
}

// NextCutoff is the first fallback cut-off after t, in t's location; the
// zero time when there are none.
func (ch *WorkflowChannels) NextCutoff(t time.Time) time.Time {
	var next time.Time
	for _, c := range ch.FallbackCutoffs {
		hm, err := time.Parse("15:04", c)
		if err != nil {
			continue
		}
		at := time.Date(t.Year(), t.Month(), t.Day(), hm.Hour(), hm.Minute(), 0, 0, t.Location())
		if !at.After(t) {
			at = at.AddDate(0, 0, 1)
		}
		if next.IsZero() || at.Before(next) {
			next = at
		}
	}
	return next
}
