package pdf

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"slices"
)

// ErrNotPDFA is an output that cannot be PDF/A as asked: a font its pages
// use is not embedded, or it is to be encrypted.
var ErrNotPDFA = errors.New("pdf: cannot be PDF/A")

// maxResourceDepth bounds the nesting of form XObjects followed when
// checking fonts.
const maxResourceDepth = 16

// checkPDFA reports an error wrapping ErrNotPDFA when the pages use a font
// that is not embedded (Type 3 fonts are defined in the file).
func (d *Doc) checkPDFA(pages []int) error {
	seen := map[int]bool{}
	var missing []string
	for _, p := range pages {
		if p < 0 {
			continue
		}
		o, err := d.loadObject(int(d.pages.objs[p-1]), false)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrDamaged, err)
		}
		page, _ := o.(dict)
		res := page.get("Resources")
		if res == nil {
			res = d.pages.inherited(p)[0]
		}
		if err := d.fontsOf(res, 0, seen, &missing); err != nil {
			return err
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return fmt.Errorf("%w: font %s is not embedded (PDF/A needs every font embedded: embed the fonts when the file is composed, or turn PDF/A off)", ErrNotPDFA, missing[0])
	}
	return nil
}

// fontsOf adds to missing the fonts of resources res (and of the form
// XObjects it holds) that are not embedded.
func (d *Doc) fontsOf(res object, depth int, seen map[int]bool, missing *[]string) error {
	if r, ok := res.(ref); ok {
		if seen[r.num] {
			return nil
		}
		seen[r.num] = true
	}
	rd, err := d.resolveDict(res)
	if err != nil || rd == nil || depth > maxResourceDepth {
		return err
	}
	fonts, err := d.resolveDict(rd.get("Font"))
	if err != nil {
		return err
	}
	for _, f := range fonts {
		if name, bad := d.unembedded(f.val); bad {
			if !slices.Contains(*missing, name) {
				*missing = append(*missing, name)
			}
		}
	}
	xobjs, err := d.resolveDict(rd.get("XObject"))
	if err != nil {
		return err
	}
	for _, x := range xobjs {
		if r, ok := x.val.(ref); ok && seen[r.num] {
			continue
		} else if ok {
			seen[r.num] = true
		}
		xd, err := d.resolveDict(x.val)
		if err != nil || xd == nil {
			continue
		}
		if st, _ := xd.nameOf("Subtype"); st == "Form" {
			if err := d.fontsOf(xd.get("Resources"), depth+1, seen, missing); err != nil {
				return err
			}
		}
	}
	return nil
}

// unembedded reports whether font f has no embedded font program, and
// its name.
func (d *Doc) unembedded(f object) (string, bool) {
	fd, err := d.resolveDict(f)
	if err != nil || fd == nil {
		return "", false
	}
	base, _ := fd.nameOf("BaseFont")
	switch st, _ := fd.nameOf("Subtype"); st {
	case "Type3":
		return "", false
	case "Type0":
		kids, err := d.resolveArray(fd.get("DescendantFonts"))
		if err != nil || len(kids) == 0 {
			return string(base), true
		}
		if fd, err = d.resolveDict(kids[0]); err != nil || fd == nil {
			return string(base), true
		}
	}
	desc, err := d.resolveDict(fd.get("FontDescriptor"))
	if err != nil || desc == nil {
		return string(base), true
	}
	for _, k := range []name{"FontFile", "FontFile2", "FontFile3"} {
		if desc.get(k) != nil {
			return "", false
		}
	}
	return string(base), true
}

// putPDFA writes the objects PDF/A-2b adds, the sRGB output intent and the
// XMP metadata (with the document information's equivalents), and returns
// the catalog entries that name them.
func (w *writer) putPDFA() dict {
	icc := w.alloc()
	w.put(icc, &stream{dict: dict{{"N", int64(3)}}, data: srgbProfile()})
	meta := w.alloc()
	w.put(meta, &stream{dict: dict{{"Type", name("Metadata")}, {"Subtype", name("XML")}}, data: xmpPacket(w.spec.Info)})
	intent := dict{{"Type", name("OutputIntent")}, {"S", name("GTS_PDFA1")},
		{"OutputConditionIdentifier", str("sRGB IEC61966-2.1")}, {"Info", str("sRGB IEC61966-2.1")},
		{"DestOutputProfile", outRef(icc)}}
	return dict{{"Metadata", outRef(meta)}, {"OutputIntents", array{intent}}}
}

// xmpPacket is the XMP metadata of a PDF/A-2b output: pdfaid part 2,
// conformance B, and the XMP equivalents of the document information's
// Title, Author, Subject, Keywords, Creator and Producer.
func xmpPacket(info map[string]string) []byte {
	var b bytes.Buffer
	b.WriteString("<?xpacket begin=\"\ufeff\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n" +
		"<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n" +
		"<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"" +
		" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n" +
		"<pdfaid:part>2</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n")
	esc := func(s string) string {
		var e bytes.Buffer
		xml.EscapeText(&e, []byte(s))
		return e.String()
	}
	if v, ok := info["Title"]; ok {
		fmt.Fprintf(&b, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">%s</rdf:li></rdf:Alt></dc:title>\n", esc(v))
	}
	if v, ok := info["Author"]; ok {
		fmt.Fprintf(&b, "<dc:creator><rdf:Seq><rdf:li>%s</rdf:li></rdf:Seq></dc:creator>\n", esc(v))
	}
	if v, ok := info["Subject"]; ok {
		fmt.Fprintf(&b, "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">%s</rdf:li></rdf:Alt></dc:description>\n", esc(v))
	}
	if v, ok := info["Keywords"]; ok {
		fmt.Fprintf(&b, "<pdf:Keywords>%s</pdf:Keywords>\n", esc(v))
	}
	if v, ok := info["Creator"]; ok {
		fmt.Fprintf(&b, "<xmp:CreatorTool>%s</xmp:CreatorTool>\n", esc(v))
	}
	if v, ok := info["Producer"]; ok {
		fmt.Fprintf(&b, "<pdf:Producer>%s</pdf:Producer>\n", esc(v))
	}
	b.WriteString("</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>")
	return b.Bytes()
}

// srgbProfile is a small ICC (v2.1) display profile of sRGB: D50-adapted
// primaries, a 2.2 gamma, the D65 white point.
func srgbProfile() []byte {
	type tag struct {
		sig  string
		data []byte
	}
	s15 := func(v float64) []byte { return binary.BigEndian.AppendUint32(nil, uint32(int32(v*65536+0.5))) }
	xyz := func(x, y, z float64) []byte {
		return slices.Concat([]byte("XYZ \x00\x00\x00\x00"), s15(x), s15(y), s15(z))
	}
	desc := "sRGB IEC61966-2.1"
	descData := slices.Concat([]byte("desc\x00\x00\x00\x00"), binary.BigEndian.AppendUint32(nil, uint32(len(desc)+1)), []byte(desc), []byte{0},
		make([]byte, 4+4+2+1+67))
	curve := []byte("curv\x00\x00\x00\x00\x00\x00\x00\x01\x02\x33\x00\x00") // one entry: gamma 2.2 (u8Fixed8 0x0233)
	tags := []tag{
		{"desc", descData},
		{"cprt", []byte("text\x00\x00\x00\x00No copyright, use freely\x00")},
		{"wtpt", xyz(0.9505, 1.0, 1.0891)},
		{"rXYZ", xyz(0.4361, 0.2225, 0.0139)},
		{"gXYZ", xyz(0.3851, 0.7169, 0.0971)},
		{"bXYZ", xyz(0.1431, 0.0606, 0.7141)},
		{"rTRC", curve}, {"gTRC", curve}, {"bTRC", curve},
	}
	off := 128 + 4 + 12*len(tags)
	var table, data []byte
	table = binary.BigEndian.AppendUint32(table, uint32(len(tags)))
	for _, t := range tags {
		for len(data)%4 != 0 {
			data = append(data, 0)
		}
		table = append(table, t.sig...)
		table = binary.BigEndian.AppendUint32(table, uint32(off+len(data)))
		table = binary.BigEndian.AppendUint32(table, uint32(len(t.data)))
		data = append(data, t.data...)
	}
	for len(data)%4 != 0 {
		data = append(data, 0)
	}
	h := make([]byte, 128)
	binary.BigEndian.PutUint32(h[0:], uint32(128+len(table)+len(data)))
	binary.BigEndian.PutUint32(h[8:], 0x02100000)
	copy(h[12:], "mntrRGB XYZ ")
	for i, v := range []uint16{2026, 1, 1, 0, 0, 0} {
		binary.BigEndian.PutUint16(h[24+2*i:], v)
	}
	copy(h[36:], "acsp")
	copy(h[68:], slices.Concat(s15(0.9642), s15(1.0), s15(0.8249)))
	return slices.Concat(h, table, data)
}
