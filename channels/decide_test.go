package channels

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/meta"
	"github.com/omsd/omsd/spool"
)

func decideConfig(t *testing.T, prefs string) *config.Config {
	t.Helper()
	dir := t.TempDir()
	cfg, err := config.Parse([]byte(`version: 1
state_dir: ` + dir + `
printers:
  - {name: file, driver: file, file: {dir: out}}
workflows:
  - name: mail
    format: pdf
    printer: file
    channels:
      preferences: ` + prefs + `
      rules:
        - {field: segment, value: online, channel: portal}
        - {field: email, pattern: "@example\\.com$", channel: email}
      portal: {dir: portal}
      email: {host: localhost, from: a@b.test, subject: s, text: t}
`))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func pieceOf(kv ...string) mailpiece.Piece {
	return mailpiece.Piece{Seq: 1, Pages: 1, Meta: meta.Of(kv...)}
}

// TestDecide: the metadata field wins over the preference file, which
// wins over the default; e-mail without an address is print.
func TestDecide(t *testing.T) {
	dir := t.TempDir()
	prefs := filepath.Join(dir, "prefs.csv")
	os.WriteFile(prefs, []byte("customer_id,channel,email\nC1,email,c1@example.com\nC2,portal\nC3,suppress\nC4,email\n"), 0o644)
	cfg := decideConfig(t, prefs)
	s := &Service{cfg: cfg}
	route, err := s.Route(spool.Job{}, cfg.Workflows[0])
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		piece mailpiece.Piece
		want  string
	}{
		{pieceOf("customer_id", "C1"), "email"},
		{pieceOf("customer_id", "C2"), "portal"},
		{pieceOf("customer_id", "C3"), "suppress"},
		{pieceOf("customer_id", "C4"), "print"}, // e-mail without an address
		{pieceOf("customer_id", "C4", "email", "x@example.com"), "email"},
		{pieceOf("customer_id", "C9"), "print"},
		{pieceOf("customer_id", "C1", "channel", "print"), "print"},
		{pieceOf("channel", "Portal"), "portal"},
		{pieceOf("channel", "email+print", "email", "x@example.com"), "email+print"},
		{pieceOf("channel", "fax", "customer_id", "C2"), "portal"},         // not a channel: the preference
		{pieceOf("customer_id", "C9", "segment", "online"), "portal"},      // a rule
		{pieceOf("customer_id", "C9", "email", "z@example.com"), "email"},  // a pattern rule
		{pieceOf("customer_id", "C9", "email", "z@example.org"), "print"},  // no rule matches
		{pieceOf("customer_id", "C2", "email", "z@example.com"), "portal"}, // the preference before the rules
	}
	for _, tt := range tests {
		if got := route(tt.piece); got != tt.want {
			t.Errorf("%v: %s, want %s", tt.piece.Meta, got, tt.want)
		}
	}
	cfg.Workflows[0].Channels.ForcePrint = true
	route, _ = s.Route(spool.Job{}, cfg.Workflows[0])
	if got := route(pieceOf("customer_id", "C1")); got != "print" {
		t.Errorf("force_print: %s", got)
	}
}

// TestPreferencesReloadWhenChanged: a changed preference file is read
// again; a broken one is an error that says to correct it.
func TestPreferencesReloadWhenChanged(t *testing.T) {
	dir := t.TempDir()
	prefs := filepath.Join(dir, "prefs.json")
	os.WriteFile(prefs, []byte(`{"C1": "portal"}`), 0o644)
	cfg := decideConfig(t, prefs)
	s := &Service{cfg: cfg}
	route, err := s.Route(spool.Job{}, cfg.Workflows[0])
	if err != nil || route(pieceOf("customer_id", "C1")) != "portal" {
		t.Fatalf("first read: %v", err)
	}
	os.WriteFile(prefs, []byte(`{"C1": {"channel": "email", "email": "c1@example.com"}}`), 0o644)
	os.Chtimes(prefs, time.Now().Add(time.Minute), time.Now().Add(time.Minute))
	route, err = s.Route(spool.Job{}, cfg.Workflows[0])
	if err != nil || route(pieceOf("customer_id", "C1")) != "email" {
		t.Fatalf("after the change: %v", err)
	}
	os.WriteFile(prefs, []byte(`{"C1": "pigeon"}`), 0o644)
	os.Chtimes(prefs, time.Now().Add(2*time.Minute), time.Now().Add(2*time.Minute))
	if _, err := s.Route(spool.Job{}, cfg.Workflows[0]); err == nil || !strings.Contains(err.Error(), `channel "pigeon"`) || !strings.Contains(err.Error(), "correct the file") {
		t.Errorf("a broken file: %v", err)
	}
}

// TestFallbackJobsPrint: a fallback job's pieces are printed whatever
// the preference file or the rules say (however the workflow finds its
// pieces, they would otherwise go round again).
func TestFallbackJobsPrint(t *testing.T) {
	dir := t.TempDir()
	prefs := filepath.Join(dir, "prefs.csv")
	os.WriteFile(prefs, []byte("C1,email,c1@example.com\n"), 0o644)
	cfg := decideConfig(t, prefs)
	s := &Service{cfg: cfg}
	fj := spool.Job{ID: 9, Source: "fallback of job 3", Input: fallbackInput}
	if route, err := s.Route(fj, cfg.Workflows[0]); err != nil || route != nil {
		t.Errorf("a fallback job's route: %v %v; want none (all print)", route != nil, err)
	}
	if route, _ := s.Route(spool.Job{ID: 3, Source: "hot", Input: "input.pdf"}, cfg.Workflows[0]); route == nil || route(pieceOf("customer_id", "C1")) != "email" {
		t.Error("an ordinary job is not routed")
	}
}
