package usb

import (
	"errors"
	"strings"
	"testing"
)

func TestParseDeviceID(t *testing.T) {
	tests := []struct {
		in        string
		canonical string
		makeModel string
	}{
		{"MFG:OMS;MDL:VirtualPrinter;CMD:PDF,PCL;CLS:PRINTER;", "MFG:OMS;MDL:VirtualPrinter;CMD:PDF,PCL;CLS:PRINTER;", "OMS VirtualPrinter"},
		{"MANUFACTURER:Hewlett-Packard;COMMAND SET:PJL,PCL;MODEL:HP LaserJet 4000;CLASS:PRINTER;",
			"MFG:Hewlett-Packard;CMD:PJL,PCL;MDL:HP LaserJet 4000;CLS:PRINTER;", "Hewlett-Packard HP LaserJet 4000"},
		{"MFG:EPSON;MDL:EPSON ET-2810;", "MFG:EPSON;MDL:EPSON ET-2810;", "EPSON ET-2810"},
		{" mfg : Brother ; mdl : HL-L2350DW ", "MFG:Brother;MDL:HL-L2350DW;", "Brother HL-L2350DW"},
		{"MFG:A;MFG:B;DES:Thing", "MFG:A;DES:Thing;", "A"},
		{"DES:Only a description;", "DES:Only a description;", "Only a description"},
		{"no fields here;;:value;", "", ""},
		{"SERN:X1;SERIALNUMBER:X2", "SN:X1;", ""},
		{"MDL:Only model", "MDL:Only model;", "Only model"},
		{"", "", ""},
	}
	for _, tt := range tests {
		id := ParseDeviceID(tt.in)
		if got := id.String(); got != tt.canonical {
			t.Errorf("ParseDeviceID(%q).String() = %q, want %q", tt.in, got, tt.canonical)
		}
		if got := id.MakeModel(); got != tt.makeModel {
			t.Errorf("ParseDeviceID(%q).MakeModel() = %q, want %q", tt.in, got, tt.makeModel)
		}
	}
}

func TestDeviceIDGetSynonyms(t *testing.T) {
	id := ParseDeviceID("MANUFACTURER:Kyocera;MODEL:FS-1370DN;COMMAND SET:PCLXL,PDF;SERN:LXA1234")
	for key, want := range map[string]string{
		"MFG": "Kyocera", "manufacturer": "Kyocera", "MDL": "FS-1370DN", "cmd": "PCLXL,PDF",
		"SN": "LXA1234", "SERIALNUMBER": "LXA1234", "CLS": "",
	} {
		if got := id.Get(key); got != want {
			t.Errorf("Get(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestDeviceIDMatches(t *testing.T) {
	dev := ParseDeviceID("MFG:OMS;MDL:VirtualPrinter;CMD:PDF,PCL;CLS:PRINTER;")
	tests := []struct {
		want  string
		match bool
	}{
		{"MFG:OMS;MDL:VirtualPrinter", true},
		{"MANUFACTURER:oms;MODEL:virtualprinter", true},
		{"MFG:OMS", true},
		{"CMD:PDF", true},
		{"CMD:pcl, pdf", true},
		{"CMD:PDF,POSTSCRIPT", false},
		{"MFG:OMS;MDL:OtherPrinter", false},
		{"MFG:OM", false},
		{"SN:123", false},
		{"CLS:PRINTER;MDL:VirtualPrinter", true},
		{"", true},
	}
	for _, tt := range tests {
		if got := dev.Matches(ParseDeviceID(tt.want)); got != tt.match {
			t.Errorf("Matches(%q) = %v, want %v", tt.want, got, tt.match)
		}
	}
}

func TestDecodeDeviceID(t *testing.T) {
	const id = "MFG:OMS;MDL:VirtualPrinter;"
	le := idAnswer(id)
	le[0], le[1] = le[1], le[0]
	gadget := append([]byte{0, byte(len(id))}, id[:len(id)-2]...) // counts without the length bytes, sends that much
	tests := []struct {
		name   string
		answer []byte
		want   string
		err    error
	}{
		{"big endian", idAnswer(id), id, nil},
		{"little endian", le, id, nil},
		{"length beyond answer", append([]byte{0x03, 0x00}, id...), id, nil},
		{"printer gadget", gadget, id[:len(id)-2], nil},
		{"trailing NUL and padding", append(idAnswer(id+"\x00\x00junk"), 0, 0), id, nil},
		{"surrounding space", idAnswer("  " + id + " \r\n"), id, nil},
		{"empty", nil, "", ErrBadDeviceID},
		{"one byte", []byte{0}, "", ErrBadDeviceID},
		{"too short", idAnswer("MFG:A;"), "", ErrBadDeviceID},
		{"zero length", []byte{0, 0, 'M', 'F', 'G'}, "", ErrBadDeviceID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeDeviceID(tt.answer)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if got != tt.want {
				t.Errorf("id = %q, want %q", got, tt.want)
			}
		})
	}
}

func FuzzDecodeDeviceID(f *testing.F) {
	f.Add(idAnswer("MFG:OMS;MDL:VirtualPrinter;"))
	f.Add([]byte{0xff, 0xff, 'M'})
	f.Fuzz(func(t *testing.T, answer []byte) {
		id, err := decodeDeviceID(answer)
		if err != nil {
			return
		}
		if len(id) > len(answer) || strings.IndexByte(id, 0) >= 0 {
			t.Fatalf("decodeDeviceID(%q) = %q", answer, id)
		}
		again := ParseDeviceID(ParseDeviceID(id).String())
		if again.String() != ParseDeviceID(id).String() {
			t.Fatalf("parse is not stable for %q", id)
		}
	})
}
