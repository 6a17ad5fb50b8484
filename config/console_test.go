package config

import (
	"strings"
	"testing"
	"time"
)

func TestConsoleListensOnLoopbackUnlessAHostIsGiven(t *testing.T) {
	for listen, want := range map[string]string{
		":8443":           "127.0.0.1:8443",
		"127.0.0.1:8443":  "127.0.0.1:8443",
		"[::1]:8443":      "[::1]:8443",
		"0.0.0.0:8443":    "0.0.0.0:8443",
		"10.1.2.3:8443":   "10.1.2.3:8443",
		"console.lan:443": "console.lan:443",
	} {
		if got := (&Console{Listen: listen}).ConsoleAddr(); got != want {
			t.Errorf("listen %q: address %q; want %q", listen, got, want)
		}
	}
}

func TestConsoleSection(t *testing.T) {
	cfg, err := Parse([]byte("version: 1\nconsole: {listen: \":8443\"}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Console.UsersFile != DefaultUsersFile || cfg.Console.SessionLifetime.Std() != 8*time.Hour {
		t.Errorf("defaults: %+v", cfg.Console)
	}
	if cfg, err := Parse([]byte("version: 1\n")); err != nil || cfg.Console != nil {
		t.Errorf("without a console section: %+v, %v; want it off", cfg.Console, err)
	}
	for bad, want := range map[string]string{
		"console: {}":                                     "console.listen is empty",
		"console: {listen: \"8443\"}":                     "console.listen \"8443\"",
		"console: {listen: \":1\", tls: {cert: a.pem}}":   "give both cert and key",
		"console: {listen: \":1\", session_lifetime: 1s}": "console.session_lifetime",
	} {
		_, err := Parse([]byte("version: 1\n" + bad + "\n"))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v; want an error with %q", bad, err, want)
		}
	}
}
