package usb

import (
	"slices"
	"testing"
)

func TestPortStatus(t *testing.T) {
	tests := []struct {
		status  PortStatus
		state   string
		reasons []string
		text    string
	}{
		{0x18, "idle", []string{"none"}, "0x18 (selected, no error)"},
		{0xd8, "idle", []string{"none"}, "0xd8 (selected, no error)"}, // undefined bits are ignored
		{0x38, "stopped", []string{"media-empty"}, "0x38 (selected, no error, paper empty)"},
		{0x10, "stopped", []string{"other"}, "0x10 (selected, error)"},
		{0x08, "stopped", []string{"offline"}, "0x08 (not selected, no error)"},
		{0x20, "stopped", []string{"media-empty", "other", "offline"}, "0x20 (not selected, error, paper empty)"},
		{0x00, "stopped", []string{"other", "offline"}, "0x00 (not selected, error)"},
	}
	for _, tt := range tests {
		if got := tt.status.State(); got != tt.state {
			t.Errorf("PortStatus(%#x).State() = %q, want %q", byte(tt.status), got, tt.state)
		}
		if got := tt.status.Reasons(); !slices.Equal(got, tt.reasons) {
			t.Errorf("PortStatus(%#x).Reasons() = %q, want %q", byte(tt.status), got, tt.reasons)
		}
		if got := tt.status.String(); got != tt.text {
			t.Errorf("PortStatus(%#x).String() = %q, want %q", byte(tt.status), got, tt.text)
		}
	}
}

func TestPortStatusBits(t *testing.T) {
	tests := []struct {
		status                      PortStatus
		paperEmpty, selected, fault bool
	}{
		{0x08, false, false, false},
		{0x10, false, true, true},
		{0x20, true, false, true},
		{0x38, true, true, false},
	}
	for _, tt := range tests {
		if tt.status.PaperEmpty() != tt.paperEmpty || tt.status.Selected() != tt.selected || tt.status.Fault() != tt.fault {
			t.Errorf("PortStatus(%#x): paper empty %v selected %v fault %v, want %v %v %v", byte(tt.status),
				tt.status.PaperEmpty(), tt.status.Selected(), tt.status.Fault(), tt.paperEmpty, tt.selected, tt.fault)
		}
	}
}
