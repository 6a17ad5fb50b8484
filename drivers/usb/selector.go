package usb

import (
	"fmt"
	"strconv"
	"strings"
)

// id1284Prefix starts a selector by device id fields.
const id1284Prefix = "1284:"

// selector is a parsed Config.Match: vendor and product id with an
// optional serial number, or device id fields.
type selector struct {
	vendor, product uint16
	serial          string
	byID            bool
	id              DeviceID // the fields to match when byID
}

// parseSelector parses "VVVV:PPPP", "VVVV:PPPP:SERIAL" or "1284:FIELDS".
// Vendor and product ids are one to four hex digits; the serial number is
// the rest of the string and may contain colons.
func parseSelector(s string) (selector, error) {
	s = strings.TrimSpace(s)
	if len(s) >= len(id1284Prefix) && strings.EqualFold(s[:len(id1284Prefix)], id1284Prefix) {
		id := ParseDeviceID(s[len(id1284Prefix):])
		if id.Len() == 0 {
			return selector{}, fmt.Errorf("%w: match %q has no device id fields (want e.g. 1284:MFG:OMS;MDL:VirtualPrinter)", ErrConfig, s)
		}
		return selector{byID: true, id: id}, nil
	}
	parts := strings.SplitN(s, ":", 3)
	if len(parts) < 2 {
		return selector{}, fmt.Errorf("%w: match %q: want VVVV:PPPP[:SERIAL] or 1284:FIELDS", ErrConfig, s)
	}
	vendor, err := parseID(parts[0])
	if err != nil {
		return selector{}, fmt.Errorf("%w: match %q: vendor id: %w", ErrConfig, s, err)
	}
	product, err := parseID(parts[1])
	if err != nil {
		return selector{}, fmt.Errorf("%w: match %q: product id: %w", ErrConfig, s, err)
	}
	sel := selector{vendor: vendor, product: product}
	if len(parts) == 3 {
		sel.serial = strings.TrimSpace(parts[2])
		if sel.serial == "" {
			return selector{}, fmt.Errorf("%w: match %q: empty serial number", ErrConfig, s)
		}
	}
	return sel, nil
}

// parseID parses a vendor or product id of one to four hex digits.
func parseID(s string) (uint16, error) {
	s = strings.TrimSpace(s)
	if len(s) == 0 || len(s) > 4 {
		return 0, fmt.Errorf("%q is not 1 to 4 hex digits", s)
	}
	v, err := strconv.ParseUint(s, 16, 16)
	if err != nil {
		return 0, fmt.Errorf("%q is not 1 to 4 hex digits", s)
	}
	return uint16(v), nil
}

// String is the selector in Config.Match syntax, normalized.
func (s selector) String() string {
	switch {
	case s.byID:
		return id1284Prefix + strings.TrimSuffix(s.id.String(), ";")
	case s.serial != "":
		return fmt.Sprintf("%04x:%04x:%s", s.vendor, s.product, s.serial)
	default:
		return fmt.Sprintf("%04x:%04x", s.vendor, s.product)
	}
}

// mayMatch reports whether a candidate can match from its descriptors;
// the serial number and device id need the device opened.
func (s selector) mayMatch(c candidate) bool {
	return s.byID || (c.VendorID == s.vendor && c.ProductID == s.product)
}
