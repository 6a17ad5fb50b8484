package afp

import (
	"fmt"
	"io"
	"strings"
)

// FieldInfo describes one structured field for a person reading a dump:
// where it is, what it is, and what the package decodes of it.
type FieldInfo struct {
	Offset   int64         `json:"offset"` // of the field's 0x5A
	Name     string        `json:"name"`   // "BPG", "TLE", or the identifier in hex
	ID       string        `json:"id"`     // the identifier in hex: "D3A8AF"
	Length   int           `json:"length"` // the value of the length bytes
	Flags    byte          `json:"flags,omitempty"`
	Reserved uint16        `json:"reserved,omitempty"`
	Pre      int           `json:"pre,omitempty"`   // filler bytes before the 0x5A
	Trail    int           `json:"trail,omitempty"` // filler bytes after the last field
	Summary  string        `json:"summary,omitempty"`
	Triplets []TripletInfo `json:"triplets,omitempty"`
	Problem  string        `json:"problem,omitempty"` // what does not decode, e.g. a bad triplet
}

// TripletInfo is one triplet of a field, decoded.
type TripletInfo struct {
	ID     string `json:"id"`             // the triplet identifier in hex: "02"
	Name   string `json:"name,omitempty"` // "FQN", "CGCSGID", … when known
	Length int    `json:"length"`         // including the length and identifier bytes
	Value  string `json:"value"`          // decoded: text in its code page, numbers, or hex
}

// DumpFields reads the print file r field by field and calls fn with the
// description of each. It returns the first error of the input (a
// *FormatError with the byte offset) after fn has seen every field read
// before it, or the first error of fn.
func DumpFields(r io.Reader, fn func(FieldInfo) error) error {
	rd := NewReader(r)
	for {
		f, err := rd.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(Describe(f)); err != nil {
			return err
		}
	}
}

// Describe decodes what the package understands of a field: begin and end
// names, TLE attributes, invoked medium maps, comments, and the triplets
// of the fields that carry them.
func Describe(f *Field) FieldInfo {
	fi := FieldInfo{Offset: f.Offset, Name: f.Name(), ID: fmt.Sprintf("%06X", f.ID), Length: f.Length(),
		Flags: f.Flags, Reserved: f.Reserved, Pre: len(f.Pre), Trail: len(f.Trail)}
	if f.Segmented() {
		fi.Summary = "segment"
	}
	switch {
	case f.ID == IDTLE:
		fi.describeTLE(f.Data)
	case f.ID == IDIMM:
		fi.Summary = fmt.Sprintf("map=%q", beginName(f.Data))
		fi.addTriplets(after(f.Data, 8))
	case f.ID == IDNOP:
		text := DecodeText(f.Data[:min(len(f.Data), 64)], DefaultCodePage)
		fi.Summary = fmt.Sprintf("text=%q", strings.ToValidUTF8(text, "?"))
	case f.ID == IDMMC && len(f.Data) >= 2:
		fi.Summary = fmt.Sprintf("mmc=%d keywords=% X", f.Data[0], f.Data[2:])
	case f.ID == IDMCC:
		fi.Summary = fmt.Sprintf("groups=% X", f.Data)
	case IsBegin(f.ID) || IsEnd(f.ID):
		fi.describeBeginEnd(f)
	}
	return fi
}

func (fi *FieldInfo) describeTLE(data []byte) {
	fi.addTriplets(data)
	text, detail := parseTLE(data, DefaultCodePage)
	if detail != "" {
		fi.Problem = detail
		return
	}
	name, value := trimText(DecodeText(text.name, text.cp)), trimText(DecodeText(text.value, text.cp))
	fi.Summary = fmt.Sprintf("%s=%q", strings.ToValidUTF8(name, "?"), strings.ToValidUTF8(value, "?"))
}

func (fi *FieldInfo) describeBeginEnd(f *Field) {
	if len(f.Data) == 0 {
		return
	}
	fi.Summary = fmt.Sprintf("name=%q", strings.ToValidUTF8(beginName(f.Data), "?"))
	rest := after(f.Data, 8)
	if f.ID == IDBDT || f.ID == IDBRS {
		rest = after(rest, 2)
	}
	fi.addTriplets(rest)
}

// after is b without its first n bytes, or nil.
func after(b []byte, n int) []byte {
	if len(b) <= n {
		return nil
	}
	return b[n:]
}

// addTriplets decodes b as a triplet list; a malformed list is a Problem
// and leaves the triplets before it.
func (fi *FieldInfo) addTriplets(b []byte) {
	if len(b) == 0 {
		return
	}
	cp := DefaultCodePage
	walkTriplets(b, func(id byte, d []byte) {
		if id == tripletCGCS && SupportedCodePage(cgcsCodePage(d)) {
			cp = cgcsCodePage(d)
		}
	})
	detail := walkTriplets(b, func(id byte, d []byte) {
		fi.Triplets = append(fi.Triplets, TripletInfo{ID: fmt.Sprintf("%02X", id), Name: tripletNames[id], Length: len(d) + 2, Value: decodeTriplet(id, d, cp)})
	})
	if detail != "" {
		fi.Problem = detail
	}
}

// WriteText writes fi as a line of text, and a line under it for each
// triplet.
func (fi FieldInfo) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%10d  %-6s %s %6d", fi.Offset, fi.Name, fi.ID, fi.Length)
	if fi.Flags != 0 || fi.Reserved != 0 {
		fmt.Fprintf(&b, "  flags=%02X res=%04X", fi.Flags, fi.Reserved)
	}
	if fi.Pre > 0 || fi.Trail > 0 {
		fmt.Fprintf(&b, "  pre=%d trail=%d", fi.Pre, fi.Trail)
	}
	if fi.Summary != "" {
		b.WriteString("  " + fi.Summary)
	}
	if fi.Problem != "" {
		b.WriteString("  PROBLEM: " + fi.Problem)
	}
	b.WriteByte('\n')
	for _, t := range fi.Triplets {
		fmt.Fprintf(&b, "%10s    %s %-8s %4d  %s\n", "", t.ID, t.Name, t.Length, t.Value)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// FieldTextHeader is the heading of WriteText's columns.
const FieldTextHeader = "    OFFSET  FIELD  ID     LENGTH  DECODED\n"
