package afp

import (
	"fmt"
	"io"
	"strings"
)

// dumpFields lists every field of r, one a line: offset, name, length,
// flags, reserved, and what the package decodes of it.
func dumpFields(r io.Reader) string {
	var b strings.Builder
	rd := NewReader(r)
	for {
		f, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintf(&b, "error: %v\n", err)
			break
		}
		fmt.Fprintf(&b, "%8d %-6s len=%-5d", f.Offset, f.Name(), f.Length())
		if f.Flags != 0 || f.Reserved != 0 {
			fmt.Fprintf(&b, " flags=%02X res=%04X", f.Flags, f.Reserved)
		}
		if len(f.Pre) > 0 || len(f.Trail) > 0 {
			fmt.Fprintf(&b, " pre=%X trail=%X", f.Pre, f.Trail)
		}
		if d := describe(f); d != "" {
			b.WriteString(" " + d)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// describe decodes what the package understands of a field.
func describe(f *Field) string {
	switch {
	case f.ID == IDTLE:
		text, detail := parseTLE(f.Data, DefaultCodePage)
		if detail != "" {
			return "bad TLE: " + detail
		}
		a := Attr{Name: trimText(DecodeText(text.name, text.cp)), Value: trimText(DecodeText(text.value, text.cp))}
		return fmt.Sprintf("%s=%q %s", a.Name, a.Value, triplets(f.Data))
	case f.ID == IDIMM:
		return fmt.Sprintf("map=%q", beginName(f.Data))
	case f.ID == IDNOP:
		text := DecodeText(f.Data[:min(len(f.Data), 48)], DefaultCodePage)
		return fmt.Sprintf("text=%q", strings.ToValidUTF8(text, "?"))
	case f.ID == IDMMC && len(f.Data) >= 2:
		return fmt.Sprintf("mmc=%d keywords=% X", f.Data[0], f.Data[2:])
	case f.ID == IDMCC:
		return fmt.Sprintf("groups=% X", f.Data)
	case (IsBegin(f.ID) || IsEnd(f.ID)) && len(f.Data) >= 8:
		rest := f.Data[8:]
		if f.ID == IDBDT || f.ID == IDBRS {
			rest = rest[min(len(rest), 2):]
		}
		return strings.TrimSpace(fmt.Sprintf("name=%q %s", beginName(f.Data), triplets(rest)))
	}
	return ""
}

// triplets lists a triplet list as id(length) items, decoding code pages
// and names; "" when b is not a triplet list.
func triplets(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	cp := DefaultCodePage
	walkTriplets(b, func(id byte, d []byte) {
		if id == tripletCGCS && SupportedCodePage(cgcsCodePage(d)) {
			cp = cgcsCodePage(d)
		}
	})
	text := func(d []byte) string { return strings.ToValidUTF8(DecodeText(d, cp), "?") }
	var items []string
	detail := walkTriplets(b, func(id byte, d []byte) {
		item := fmt.Sprintf("%02X(%d)", id, len(d)+2)
		switch {
		case id == tripletCGCS && len(d) >= 4:
			item += fmt.Sprintf("[cp=%d]", cgcsCodePage(d))
		case id == tripletFQN && len(d) >= 2:
			item += fmt.Sprintf("[type=%02X %q]", d[0], text(d[2:]))
		case id == 0x65: // comment
			item += fmt.Sprintf("[%q]", text(d))
		}
		items = append(items, item)
	})
	if detail != "" {
		return ""
	}
	return "triplets=" + strings.Join(items, " ")
}

// dumpIndex writes an index as text.
func dumpIndex(idx *Index) string {
	var b strings.Builder
	fmt.Fprintf(&b, "size=%d documents=%d pages=%d sheets=%d pieces=%d\n", idx.Size, idx.Documents, idx.Pages, idx.Sheets, len(idx.Pieces))
	fmt.Fprintf(&b, "header=%d+%d trailer=%d+%d\n", idx.Header.Offset, idx.Header.Length, idx.Trailer.Offset, idx.Trailer.Length)
	for _, r := range idx.Resources {
		fmt.Fprintf(&b, "resource %s %q %d+%d\n", r.Kind, r.Name, r.Offset, r.Length)
	}
	if fm := idx.FormMap; fm != nil {
		fmt.Fprintf(&b, "formmap %q (%s)\n", fm.Name, idx.FormMapSource)
		for _, m := range fm.Maps {
			fmt.Fprintf(&b, "  map %s copies=%d bin=%d pages/sheet=%d\n", m, m.Copies, m.Bin, m.PagesPerSheet())
		}
	}
	for _, p := range idx.Pieces {
		fmt.Fprintf(&b, "piece %d %q pages=%d+%d sheets=%d maps=%v start=%q span=%d+%d\n",
			p.Seq, p.Name, p.FirstPage, p.Pages, p.Sheets, p.MediumMaps, p.StartMap, p.Offset, p.Length)
		for _, a := range p.Attrs {
			fmt.Fprintf(&b, "  %s=%q\n", a.Name, a.Value)
		}
	}
	return b.String()
}
