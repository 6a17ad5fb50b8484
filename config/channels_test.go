package config

import (
	"strings"
	"testing"
	"time"
)

func TestChannelsValidation(t *testing.T) {
	base := `version: 1
printers:
  - {name: file, driver: file, file: {dir: out}}
workflows:
  - name: w
    format: %s
    printer: file
    channels:
%s`
	tests := []struct {
		format, channels, want string
	}{
		{"afp", "      email: {host: h, from: a@b.test, subject: s, text: t}\n", "fallback_workflow: an AFP workflow's pieces"},
		{"afp", "      portal: {dir: p}\n      fallback_workflow: w\n", "name a PDF workflow"},
		{"pdf", "      fallback_workflow: nosuch\n", `workflow "nosuch" is not configured`},
		{"pdf", "      default: fax\n", "channels.default"},
		{"pdf", "      email: {host: h, from: nobody, subject: s, text: t}\n", "email.from"},
		{"pdf", "      email: {host: h, from: a@b.test, subject: \"{{.Meta\", text: t}\n", "email.subject"},
		{"pdf", "      email: {host: h, from: a@b.test, subject: s, text: t, security: none}\n", "email.security"},
		{"pdf", "      preferences: prefs.xlsx\n", "neither .csv nor .json"},
		{"pdf", "      rules: [{field: f, pattern: \"(\", channel: email}]\n", "rules[0].pattern"},
		{"pdf", "      rules: [{field: f, value: v, channel: pigeon}]\n", "rules[0].channel"},
		{"pdf", "      portal: {}\n", "dir or webhook is missing"},
		{"pdf", "      portal: {webhook: \"ftp://x\", secret: s}\n", "is not an http(s) URL"},
		{"pdf", "      portal: {webhook: \"https://portal.example.com/drop\"}\n", "secret is missing"},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(strings.Replace(strings.Replace(base, "%s", tt.format, 1), "%s", tt.channels, 1)))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %q: %v; want %q", tt.format, tt.channels, err, tt.want)
		}
	}
	c, err := Parse([]byte(strings.Replace(strings.Replace(base, "%s", "pdf", 1), "%s", "      email: {host: h, from: a@b.test, subject: s, text: t}\n", 1)))
	if err != nil {
		t.Fatal(err)
	}
	ch := c.Workflows[0].Channels
	if ch.Field != "channel" || ch.Default != "print" || ch.Email.Port != 587 || ch.Email.Security != "starttls" || ch.Email.Insecure || ch.Email.Attempts != 5 {
		t.Errorf("defaults: %+v %+v", ch, ch.Email)
	}
}

func TestNextCutoff(t *testing.T) {
	ch := &WorkflowChannels{FallbackCutoffs: []string{"14:00", "09:30"}}
	loc := time.FixedZone("X", 3600)
	for _, tt := range []struct{ at, want string }{
		{"2026-12-05 08:00", "2026-12-05 09:30"},
		{"2026-12-05 09:30", "2026-12-05 14:00"},
		{"2026-12-05 13:59", "2026-12-05 14:00"},
		{"2026-12-05 18:00", "2026-12-06 09:30"},
	} {
		at, _ := time.ParseInLocation("2006-01-02 15:04", tt.at, loc)
		if got := ch.NextCutoff(at).Format("2006-01-02 15:04"); got != tt.want {
			t.Errorf("after %s: %s, want %s", tt.at, got, tt.want)
		}
	}
	if !(&WorkflowChannels{}).NextCutoff(time.Now()).IsZero() {
		t.Error("no cut-offs: want the zero time")
	}
	if _, err := Parse([]byte(strings.Replace(strings.Replace(`version: 1
printers:
  - {name: file, driver: file, file: {dir: out}}
workflows:
  - name: w
    format: pdf
    printer: file
    channels:
      fallback_cutoffs: ["25:00"]
`, "%s", "", 1), "%s", "", 1))); err == nil || !strings.Contains(err.Error(), "not a time of day") {
		t.Errorf("a bad cut-off: %v", err)
	}
}
