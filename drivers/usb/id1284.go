package usb

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
)

// DeviceID is a parsed IEEE 1284 device id, the "KEY:value;" list a
// printer answers to GET_DEVICE_ID, e.g.
// "MFG:EPSON;CMD:ESCPL2,BDC;MDL:ET-2810 Series;CLS:PRINTER;".
// Keys compare case-insensitively and their long forms are taken for the
// short ones (MANUFACTURER for MFG, MODEL for MDL, COMMAND SET for CMD,
// CLASS for CLS, DESCRIPTION for DES, SERIALNUMBER or SERN for SN).
type DeviceID struct {
	fields []idField
}

// idField is one "KEY:value" of a device id, with its key canonical.
type idField struct {
	key, value string
}

// idSynonyms maps the long key forms to the short ones.
var idSynonyms = map[string]string{
	"MANUFACTURER": "MFG",
	"MODEL":        "MDL",
	"COMMAND SET":  "CMD",
	"COMMANDSET":   "CMD",
	"CLASS":        "CLS",
	"DESCRIPTION":  "DES",
	"SERIALNUMBER": "SN",
	"SERN":         "SN",
}

// canonicalKey upper-cases and trims a key and maps it to its short form.
func canonicalKey(k string) string {
	k = strings.ToUpper(strings.TrimSpace(k))
	if short, ok := idSynonyms[k]; ok {
		return short
	}
	return k
}

// ParseDeviceID parses a device id. Fields without a key or without a
// colon are skipped; whitespace around keys and values is dropped. A
// later field of a key already seen is ignored.
func ParseDeviceID(s string) DeviceID {
	var id DeviceID
	seen := map[string]bool{}
	for part := range strings.SplitSeq(s, ";") {
		k, v, ok := strings.Cut(part, ":")
		k = canonicalKey(k)
		if !ok || k == "" || seen[k] {
			continue
		}
		seen[k] = true
		id.fields = append(id.fields, idField{key: k, value: strings.TrimSpace(v)})
	}
	return id
}

// Len is the number of fields.
func (id DeviceID) Len() int { return len(id.fields) }

// Get returns the value of key (short or long form), or "".
func (id DeviceID) Get(key string) string {
	key = canonicalKey(key)
	for _, f := range id.fields {
		if f.key == key {
			return f.value
		}
	}
	return ""
}

// has reports whether the id has a field key.
func (id DeviceID) has(key string) bool {
	for _, f := range id.fields {
		if f.key == key {
			return true
		}
	}
	return false
}

// String writes the id back in its canonical form, "MFG:x;MDL:y;".
func (id DeviceID) String() string {
	var b strings.Builder
	for _, f := range id.fields {
		b.WriteString(f.key + ":" + f.value + ";")
	}
	return b.String()
}

// MakeModel is the printer's make and model for display: MFG and MDL
// joined, or MDL alone when it starts with the make, or DES.
func (id DeviceID) MakeModel() string {
	mfg, mdl := id.Get("MFG"), id.Get("MDL")
	switch {
	case mfg != "" && mdl != "" && !hasPrefixFold(mdl, mfg):
		return mfg + " " + mdl
	case mdl != "":
		return mdl
	case mfg != "":
		return mfg
	default:
		return id.Get("DES")
	}
}

// Matches reports whether the id has every field of want with the same
// value, compared case-insensitively. For CMD each listed command set of
// want must be among the id's: "CMD:PDF" matches "CMD:PCL,PDF".
func (id DeviceID) Matches(want DeviceID) bool {
	for _, w := range want.fields {
		if !id.has(w.key) {
			return false
		}
		got := id.Get(w.key)
		if w.key == "CMD" {
			if !listContains(got, w.value) {
				return false
			}
			continue
		}
		if !strings.EqualFold(got, w.value) {
			return false
		}
	}
	return true
}

// listContains reports whether every comma-separated item of want is an
// item of the list have.
func listContains(have, want string) bool {
	items := map[string]bool{}
	for it := range strings.SplitSeq(have, ",") {
		items[strings.ToUpper(strings.TrimSpace(it))] = true
	}
	for it := range strings.SplitSeq(want, ",") {
		if !items[strings.ToUpper(strings.TrimSpace(it))] {
			return false
		}
	}
	return true
}

// hasPrefixFold is strings.HasPrefix ignoring case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// minDeviceID is the shortest plausible answer to GET_DEVICE_ID: two
// length bytes and "MFG:x;MDL:y;".
const minDeviceID = 14

// decodeDeviceID extracts the device id from an answer to GET_DEVICE_ID:
// two length bytes, most significant first, counting themselves, then the
// id. As CUPS does, a length that does not fit is read least significant
// byte first; when neither reading fits but one runs past the answer, the
// whole answer is taken (printers that send less than they announce).
// Linux's printer gadget counts without the two bytes and sends only as
// many, which loses the id's last two characters. The id ends at a NUL.
func decodeDeviceID(answer []byte) (string, error) {
	if len(answer) < 2 {
		return "", fmt.Errorf("%w: answer of %d bytes", ErrBadDeviceID, len(answer))
	}
	be, le := int(binary.BigEndian.Uint16(answer)), int(binary.LittleEndian.Uint16(answer))
	fits := func(n int) bool { return n >= minDeviceID && n <= len(answer) }
	var n int
	switch {
	case fits(be):
		n = be
	case fits(le):
		n = le
	case be > len(answer) || le > len(answer):
		n = len(answer)
	}
	if n < minDeviceID {
		return "", fmt.Errorf("%w: length %d in an answer of %d bytes", ErrBadDeviceID, be, len(answer))
	}
	id := answer[2:n]
	if i := bytes.IndexByte(id, 0); i >= 0 {
		id = id[:i]
	}
	return strings.TrimSpace(string(id)), nil
}
