package usb

import (
	"fmt"
	"strings"
)

// PortStatus is the byte a printer answers to GET_PORT_STATUS: the
// Centronics status lines (USB printer class 1.1, section 4.2.2). Only
// bits 3 to 5 are defined.
type PortStatus byte

// Bits of PortStatus.
const (
	PortNotError   PortStatus = 1 << 3 // 1: no error; 0: the printer is in an error state
	PortSelected   PortStatus = 1 << 4 // 1: selected (online)
	PortPaperEmpty PortStatus = 1 << 5 // 1: out of paper
)

// PaperEmpty reports the paper-empty line.
func (s PortStatus) PaperEmpty() bool { return s&PortPaperEmpty != 0 }

// Selected reports the select line: the printer is online.
func (s PortStatus) Selected() bool { return s&PortSelected != 0 }

// Fault reports the error line (active low): the printer is in an error
// state, e.g. a jam or an open cover.
func (s PortStatus) Fault() bool { return s&PortNotError == 0 }

// Reasons are the IPP printer-state-reasons the status gives:
// media-empty, other (the error line), offline (not selected), or none.
func (s PortStatus) Reasons() []string {
	var r []string
	if s.PaperEmpty() {
		r = append(r, "media-empty")
	}
	if s.Fault() {
		r = append(r, "other")
	}
	if !s.Selected() {
		r = append(r, "offline")
	}
	if r == nil {
		r = []string{"none"}
	}
	return r
}

// State is the IPP printer-state the status gives: stopped when out of
// paper, in error or offline, idle otherwise.
func (s PortStatus) State() string {
	if s.PaperEmpty() || s.Fault() || !s.Selected() {
		return "stopped"
	}
	return "idle"
}

// String shows the byte and its meaning, e.g. "0x18 (selected, no error)".
func (s PortStatus) String() string {
	words := []string{"not selected"}
	if s.Selected() {
		words[0] = "selected"
	}
	if s.Fault() {
		words = append(words, "error")
	} else {
		words = append(words, "no error")
	}
	if s.PaperEmpty() {
		words = append(words, "paper empty")
	}
	return fmt.Sprintf("0x%02x (%s)", byte(s), strings.Join(words, ", "))
}
