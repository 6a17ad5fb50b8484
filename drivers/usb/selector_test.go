package usb

import (
	"errors"
	"testing"
)

func TestParseSelector(t *testing.T) {
	tests := []struct {
		in     string
		want   string // normalized, "" when an error is expected
		byID   bool
		serial string
	}{
		{"04b8:0e28", "04b8:0e28", false, ""},
		{"04B8:0E28", "04b8:0e28", false, ""},
		{" 525:a4a8 ", "0525:a4a8", false, ""},
		{"04b8:0e28:X8ZK001234", "04b8:0e28:X8ZK001234", false, "X8ZK001234"},
		{"04b8:0e28:AB:CD:01", "04b8:0e28:AB:CD:01", false, "AB:CD:01"},
		{"1284:MFG:OMS;MDL:VirtualPrinter", "1284:MFG:OMS;MDL:VirtualPrinter", true, ""},
		{"1284:MANUFACTURER:OMS;MODEL:VirtualPrinter;", "1284:MFG:OMS;MDL:VirtualPrinter", true, ""},
		{"1284:mfg:OMS", "1284:MFG:OMS", true, ""},
		{"", "", false, ""},
		{"04b8", "", false, ""},
		{"04b8:", "", false, ""},
		{"04b8:0e28:", "", false, ""},
		{"04b8:0e28: ", "", false, ""},
		{"04b80:0e28", "", false, ""},
		{"04g8:0e28", "", false, ""},
		{"-4b8:0e28", "", false, ""},
		{"1284:", "", false, ""},
		{"1284:OMS VirtualPrinter", "", false, ""},
		{"usb://EPSON/ET-2810", "", false, ""},
	}
	for _, tt := range tests {
		sel, err := parseSelector(tt.in)
		if tt.want == "" {
			if !errors.Is(err, ErrConfig) {
				t.Errorf("parseSelector(%q) = %v, %v; want ErrConfig", tt.in, sel, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseSelector(%q): %v", tt.in, err)
			continue
		}
		if got := sel.String(); got != tt.want || sel.byID != tt.byID || sel.serial != tt.serial {
			t.Errorf("parseSelector(%q) = %q (byID %v, serial %q), want %q (byID %v, serial %q)",
				tt.in, got, sel.byID, sel.serial, tt.want, tt.byID, tt.serial)
		}
	}
}

func TestSelectorMayMatch(t *testing.T) {
	c := candidate{VendorID: 0x04b8, ProductID: 0x0e28}
	tests := []struct {
		sel  string
		want bool
	}{
		{"04b8:0e28", true},
		{"04b8:0e28:ANY", true}, // the serial number needs the device opened
		{"04b8:0e29", false},
		{"04b9:0e28", false},
		{"1284:MFG:Anyone", true},
	}
	for _, tt := range tests {
		sel, err := parseSelector(tt.sel)
		if err != nil {
			t.Fatal(err)
		}
		if got := sel.mayMatch(c); got != tt.want {
			t.Errorf("%s.mayMatch(04b8:0e28) = %v, want %v", tt.sel, got, tt.want)
		}
	}
}

func TestDeviceMatchRoundTrip(t *testing.T) {
	for _, d := range []Device{
		{VendorID: "04b8", ProductID: "0e28", Serial: "X8ZK001234"},
		{VendorID: "0525", ProductID: "a4a8"},
	} {
		sel, err := parseSelector(d.Match())
		if err != nil {
			t.Fatalf("Device.Match() %q does not parse: %v", d.Match(), err)
		}
		if sel.String() != d.Match() {
			t.Errorf("selector %q, want %q", sel.String(), d.Match())
		}
	}
}
