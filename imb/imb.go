// Package imb encodes the USPS Intelligent Mail barcode (IMb, USPS-B-3200).
//
// An IMb carries a 20-digit tracking code (barcode ID, service type ID,
// mailer ID and serial number) and an optional routing code of 5, 9 or 11
// digits (ZIP, ZIP+4, ZIP+4+delivery point). Encode turns them into the 65
// bars of the symbol, written as letters: F (full), A (ascender), D
// (descender) and T (tracker), left to right.
//
// The algorithm follows the specification and the USPS reference encoder
// usps4cb.c: the two codes become one binary value below 2^102, protected by
// an 11-bit CRC, split into ten codewords, mapped to 13-bit characters and
// scattered over the bars by a fixed table. The package allocates nothing
// beyond the result string and is safe for concurrent use.
package imb

import (
	"errors"
	"fmt"
	"math/bits"
)

// Errors returned for invalid input; every error wraps one of them.
var (
	// ErrTrackingLength: the tracking code is not 20 digits long.
	ErrTrackingLength = errors.New("imb: tracking code must be 20 digits")
	// ErrRoutingLength: the routing code is not 0, 5, 9 or 11 digits long.
	ErrRoutingLength = errors.New("imb: routing code must be 0, 5, 9 or 11 digits")
	// ErrNotDigits: a code holds something other than the digits 0-9.
	ErrNotDigits = errors.New("imb: code holds a non-digit")
	// ErrBarcodeID: the second digit of the tracking code (the second
	// digit of the barcode ID) is above 4.
	ErrBarcodeID = errors.New("imb: second digit of the barcode ID must be 0-4")
)

// Bars is the number of bars in an Intelligent Mail barcode.
const Bars = 65

// Code is an encoded barcode with the fields of its tracking code. It is the
// document `omsctl imb encode --json` prints.
type Code struct {
	Tracking    string `json:"tracking"`
	Routing     string `json:"routing"`
	BarcodeID   string `json:"barcode_id"`
	ServiceType string `json:"service_type"`
	MailerID    string `json:"mailer_id"`
	Serial      string `json:"serial"`
	Bars        string `json:"bars"` // 65 letters of F, A, D, T
}

// New validates and encodes tracking and routing and splits the tracking code
// into its fields. A mailer ID starting with 9 has 9 digits, any other 6.
func New(tracking, routing string) (Code, error) {
	bars, err := Encode(tracking, routing)
	if err != nil {
		return Code{}, err
	}
	midLen := 6
	if tracking[5] == '9' {
		midLen = 9
	}
	return Code{
		Tracking:    tracking,
		Routing:     routing,
		BarcodeID:   tracking[0:2],
		ServiceType: tracking[2:5],
		MailerID:    tracking[5 : 5+midLen],
		Serial:      tracking[5+midLen:],
		Bars:        bars,
	}, nil
}

// Encode returns the 65-letter bar string (F, A, D, T) of the barcode for a
// 20-digit tracking code and a routing code of 0, 5, 9 or 11 digits.
func Encode(tracking, routing string) (string, error) {
	if err := Validate(tracking, routing); err != nil {
		return "", err
	}
	v := binaryValue(tracking, routing)
	fcs := crc11(v.bytes())
	cw := codewords(v, fcs)
	chars := characters(cw, fcs)
	return barString(chars), nil
}

// Validate reports why tracking and routing cannot be encoded, or nil.
func Validate(tracking, routing string) error {
	if len(tracking) != 20 {
		return fmt.Errorf("tracking code %q has %d characters: %w", tracking, len(tracking), ErrTrackingLength)
	}
	if i := nonDigit(tracking); i >= 0 {
		return fmt.Errorf("tracking code %q, position %d: %w", tracking, i+1, ErrNotDigits)
	}
	if tracking[1] > '4' {
		return fmt.Errorf("tracking code %q: barcode ID %q: %w", tracking, tracking[:2], ErrBarcodeID)
	}
	switch len(routing) {
	case 0, 5, 9, 11:
	default:
		return fmt.Errorf("routing code %q has %d characters: %w", routing, len(routing), ErrRoutingLength)
	}
	if i := nonDigit(routing); i >= 0 {
		return fmt.Errorf("routing code %q, position %d: %w", routing, i+1, ErrNotDigits)
	}
	return nil
}

// nonDigit returns the index of the first byte of s that is not 0-9, or -1.
func nonDigit(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return i
		}
	}
	return -1
}

// u128 is an unsigned 128-bit integer; the barcode's value is below 2^102.
type u128 struct{ hi, lo uint64 }

// mulAdd returns v·m + a.
func (v u128) mulAdd(m, a uint64) u128 {
	h, l := bits.Mul64(v.lo, m)
	l, c := bits.Add64(l, a, 0)
	return u128{hi: v.hi*m + h + c, lo: l}
}

// divMod returns v / d and v mod d.
func (v u128) divMod(d uint64) (u128, uint64) {
	qh, r := v.hi/d, v.hi%d
	ql, r := bits.Div64(r, v.lo, d)
	return u128{hi: qh, lo: ql}, r
}

// bytes returns the low 13 bytes of v, most significant first.
func (v u128) bytes() [13]byte {
	var b [13]byte
	for i := 12; i >= 5; i-- {
		b[i] = byte(v.lo >> (8 * (12 - i)))
	}
	for i := 4; i >= 0; i-- {
		b[i] = byte(v.hi >> (8 * (4 - i)))
	}
	return b
}

// binaryValue combines the routing and tracking codes into one number
// (specification steps 1 and 2). Both are valid.
func binaryValue(tracking, routing string) u128 {
	var r uint64
	for i := 0; i < len(routing); i++ {
		r = r*10 + uint64(routing[i]-'0')
	}
	switch len(routing) {
	case 5:
		r++
	case 9:
		r += 100001
	case 11:
		r += 1000100001
	}
	v := u128{lo: r}
	v = v.mulAdd(10, uint64(tracking[0]-'0'))
	v = v.mulAdd(5, uint64(tracking[1]-'0'))
	for i := 2; i < 20; i++ {
		v = v.mulAdd(10, uint64(tracking[i]-'0'))
	}
	return v
}

// crc11 is the frame check sequence over the 102 significant bits of b
// (step 3): generator 0xF35, initial value 0x7FF, most significant bit first.
func crc11(b [13]byte) uint16 {
	fcs := uint16(0x7FF)
	step := func(data uint16, n int) {
		for range n {
			if (fcs^data)&0x400 != 0 {
				fcs = (fcs << 1) ^ 0xF35
			} else {
				fcs <<= 1
			}
			fcs &= 0x7FF
			data <<= 1
		}
	}
	step(uint16(b[0])<<5, 6)
	for _, x := range b[1:] {
		step(uint16(x)<<3, 8)
	}
	return fcs
}

// codewords splits v into the codewords A..J and applies the orientation
// and FCS adjustments (steps 4 and 5).
func codewords(v u128, fcs uint16) [10]int {
	var cw [10]int
	var r uint64
	v, r = v.divMod(636)
	cw[9] = int(r)
	for i := 8; i >= 1; i-- {
		v, r = v.divMod(1365)
		cw[i] = int(r)
	}
	cw[0] = int(v.lo) // below 659 for any valid input
	cw[9] *= 2
	if fcs&(1<<10) != 0 {
		cw[0] += 659
	}
	return cw
}

// characters maps codewords to 13-bit characters and applies the FCS bits
// (step 7).
func characters(cw [10]int, fcs uint16) [10]uint16 {
	t5, t2 := tables()
	var ch [10]uint16
	for i, c := range cw {
		if c < len(t5) {
			ch[i] = t5[c]
		} else {
			ch[i] = t2[c-len(t5)]
		}
		if fcs&(1<<i) != 0 {
			ch[i] = ^ch[i] & 0x1FFF
		}
	}
	return ch
}

// barString writes the bars of the characters (step 8).
func barString(ch [10]uint16) string {
	var b [Bars]byte
	for k := range b {
		d := ch[barDC[k]] >> barDB[k] & 1
		a := ch[barAC[k]] >> barAB[k] & 1
		b[k] = "TDAF"[d|a<<1]
	}
	return string(b[:])
}
