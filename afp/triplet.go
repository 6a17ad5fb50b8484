package afp

import "fmt"

// Triplet identifiers used here.
const (
	tripletCGCS  = 0x01 // coded graphic character set global identifier
	tripletFQN   = 0x02 // fully qualified name
	tripletValue = 0x36 // attribute value
)

// FQN types used here.
const (
	fqnReplaceFirstGID = 0x01 // a long name replacing the 8-byte token name
	fqnAttributeName   = 0x0B
)

// Attr is one TLE attribute: its name and value, decoded.
type Attr struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// walkTriplets calls fn with the identifier and contents of each triplet in
// b, and describes the first malformed one.
func walkTriplets(b []byte, fn func(id byte, d []byte)) string {
	for i := 0; i < len(b); {
		n := int(b[i])
		if n < 2 || n > len(b)-i {
			return fmt.Sprintf("triplet at data byte %d has length %d with %d bytes left", i, n, len(b)-i)
		}
		fn(b[i+1], b[i+2:i+n])
		i += n
	}
	return ""
}

// tleText is a TLE's attribute name and value as bytes, with the code
// page they are in.
type tleText struct {
	name, value []byte
	cp          int
}

// parseTLE finds a TLE's attribute name and value, and the code page of its
// 0x01 triplet or the default; detail describes what is missing. It walks
// the triplets itself rather than through walkTriplets: it runs for every
// TLE of a run.
func parseTLE(data []byte, defaultCP int) (t tleText, detail string) {
	haveName, haveValue := false, false
	t.cp = defaultCP
	for i := 0; i < len(data); {
		n := int(data[i])
		if n < 2 || n > len(data)-i {
			return t, fmt.Sprintf("triplet at data byte %d has length %d with %d bytes left", i, n, len(data)-i)
		}
		id, d := data[i+1], data[i+2:i+n]
		i += n
		switch {
		case id == tripletFQN && len(d) >= 2 && d[0] == fqnAttributeName && !haveName:
			t.name, haveName = d[2:], true
		case id == tripletValue && len(d) >= 2 && !haveValue:
			t.value, haveValue = d[2:], true
		case id == tripletCGCS:
			if c := cgcsCodePage(d); SupportedCodePage(c) {
				t.cp = c
			}
		}
	}
	switch {
	case !haveName:
		return t, "TLE without an attribute name (triplet 0x02, type 0x0B)"
	case !haveValue:
		return t, "TLE without a value (triplet 0x36)"
	}
	return t, ""
}

// cgcsCodePage is the code page a 0x01 triplet names: its CPGID, or its
// CCSID when the GCSGID is 0 (for the code pages here the numbers agree).
func cgcsCodePage(d []byte) int {
	if len(d) < 4 {
		return 0
	}
	return int(be16(d[2:]))
}

// tokenName decodes an 8-byte token name (code page 500, or ASCII). A
// name starting with X'FFFF' is the null name, which matches any.
func tokenName(b []byte) string {
	b = b[:min(len(b), 8)]
	if len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFF {
		return ""
	}
	return trimText(DecodeText(b, DefaultCodePage))
}

// beginName is the name in a Begin field's data: a long name from an FQN
// triplet of type 0x01 after the token (in the code page of a 0x01 triplet
// beside it), or else the token. Some fields have two reserved bytes after
// the token; both layouts are tried.
func beginName(data []byte) string {
	for _, skip := range []int{8, 10} {
		if len(data) <= skip {
			break
		}
		var long []byte
		cp := DefaultCodePage
		detail := walkTriplets(data[skip:], func(id byte, d []byte) {
			switch {
			case id == tripletFQN && len(d) > 2 && d[0] == fqnReplaceFirstGID && long == nil:
				long = d[2:]
			case id == tripletCGCS:
				if c := cgcsCodePage(d); SupportedCodePage(c) {
					cp = c
				}
			}
		})
		if detail == "" && long != nil {
			return trimText(DecodeText(long, cp))
		}
	}
	return tokenName(data)
}

// trimText drops trailing spaces and NULs.
func trimText(s string) string {
	n := len(s)
	for n > 0 && (s[n-1] == ' ' || s[n-1] == 0) {
		n--
	}
	return s[:n]
}
