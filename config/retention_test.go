package config

import (
	"strings"
	"testing"
	"time"
)

func TestParseDurationDays(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"30d", 30 * 24 * time.Hour, true},
		{"1d12h", 36 * time.Hour, true},
		{"90m", 90 * time.Minute, true},
		{"2s", 2 * time.Second, true},
		{"d", 0, false},
		{"-1d", 0, false},
		{"1d-2h", 0, false},
		{"1dx", 0, false},
		{"99999d", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestSpoolRetention(t *testing.T) {
	c, err := Parse([]byte("version: 1\nspool:\n  retention: 30d\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Spool.Retention.Std() != 30*24*time.Hour {
		t.Errorf("spool.retention = %v, want 720h", c.Spool.Retention.Std())
	}
	if d := Default().Spool.Retention.Std(); d != DefaultSpoolRetention {
		t.Errorf("default spool.retention = %v, want %v", d, DefaultSpoolRetention)
	}
	_, err = Parse([]byte("version: 1\nspool:\n  retention: 1s\n"))
	if err == nil || !strings.Contains(err.Error(), "spool.retention") {
		t.Errorf("retention 1s: error %v, want one naming spool.retention", err)
	}
}
