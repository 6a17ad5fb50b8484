package config

import (
	"net/netip"
	"strings"
	"testing"
)

func TestDefaultReceivers(t *testing.T) {
	c := Default()
	r := c.Receivers
	if r.LPD.Listen != "127.0.0.1:5515" {
		t.Errorf("receivers.lpd.listen = %q; the default configuration starts LPD on loopback", r.LPD.Listen)
	}
	if r.LPD.MaxDocument != DefaultMaxDocument || r.LPD.IdleTimeout.Std() != DefaultIdleTimeout || r.LPD.MaxConnections != DefaultMaxConnections {
		t.Errorf("lpd defaults = %+v", r.LPD)
	}
	for name, want := range map[string]string{"default": "default", "afp": "afp", "": "default", "nosuch": "default"} {
		q, ok := c.ReceiverQueue(name)
		if !ok {
			t.Errorf("Queue(%q) not found", name)
			continue
		}
		if q.Name != want {
			t.Errorf("Queue(%q) = %q, want %q", name, q.Name, want)
		}
	}
}

func TestReceiversNoDefaultQueue(t *testing.T) {
	c := Config{Receivers: Receivers{Queues: []ReceiverQueue{{Name: "a", Workflow: "default"}}}}
	if _, ok := c.ReceiverQueue("b"); ok {
		t.Error("an unknown queue without default_queue resolved")
	}
	c = Config{Workflows: []Workflow{{Name: "w1"}, {Name: "w2"}}}
	if q, ok := c.ReceiverQueue("w2"); !ok || q.Workflow != "w2" {
		t.Errorf("with no queues listed, workflow w2 is no queue: %+v", q)
	}
}

func TestReceiversValidation(t *testing.T) {
	base := "version: 1\nprinters: [{name: f, driver: file, file: {dir: out}}]\nworkflows: [{name: w, printer: f}]\n"
	tests := []struct{ yaml, want string }{
		{"receivers: {queues: [{name: q, workflow: nope}]}", `workflow "nope" is not defined`},
		{"receivers: {queues: [{workflow: w}]}", "name is missing"},
		{"receivers: {queues: [{name: q, workflow: w}, {name: q, workflow: w}]}", `queue "q" is defined twice`},
		{"receivers: {queues: [{name: q, workflow: w}], default_queue: z}", `default_queue "z" is not one of`},
		{"receivers: {queues: [{name: q, workflow: w}], lpd: {listen: localhost}}", "is not HOST:PORT"},
		{"receivers: {queues: [{name: q, workflow: w}], lpd: {listen: ':515', allow: [10.0.0/8]}}", `"10.0.0/8" is neither a network`},
		{"receivers: {queues: [{name: q, workflow: w}], lpd: {listen: ':515', idle_timeout: 10ms}}", "at least 1s"},
		{"receivers: {queues: [{name: q, workflow: w}], lpd: {listen: ':515', max_connections: -1}}", "max_connections must be at least 1"},
		{"receivers: {default_queue: nope}", `default_queue "nope" is not one of`},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(base + tt.yaml))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.yaml, err, tt.want)
		}
	}
	if _, err := Parse([]byte(base + "receivers: {queues: [{name: q, workflow: w}], lpd: {listen: ':515', allow: [10.0.0.0/8, 192.0.2.7]}}")); err != nil {
		t.Errorf("a valid receivers section: %v", err)
	}
}

func TestParseAllow(t *testing.T) {
	got, err := ParseAllow([]string{"10.1.2.0/24", "192.0.2.7", "10.9.9.9/8"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.1.2.0/24", "192.0.2.7/32", "10.0.0.0/8"}
	for i, p := range got {
		if p.String() != want[i] {
			t.Errorf("prefix %d = %v, want %s", i, p, want[i])
		}
	}
	lo, _ := ParseAllow(nil)
	if !lo[0].Contains(netip.MustParseAddr("127.0.0.1")) || lo[0].Contains(netip.MustParseAddr("10.0.0.1")) {
		t.Errorf("empty allow-list = %v, want loopback only", lo)
	}
}
