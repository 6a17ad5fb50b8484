package topdf

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/omsd/omsd/afp"
)

// FOCA structured fields: font character sets and code pages carried in
// the print file's resource group.
const (
	idBFN uint32 = 0xD3A889
	idEFN uint32 = 0xD3A989
	idFNC uint32 = 0xD3A789
	idFNI uint32 = 0xD38C89
	idFNM uint32 = 0xD3A289
	idFNG uint32 = 0xD3EE89
	idBCP uint32 = 0xD3A887
	idECP uint32 = 0xD3A987
	idCPC uint32 = 0xD3A787
	idCPI uint32 = 0xD38C87
)

// widthTable is a font character set's character increments by GCGID,
// in thousandths of an em (relative metrics) or points (fixed metrics).
type widthTable struct {
	byGCGID  map[string]float64
	relative bool    // increments are in thousandths of an em
	raster   bool    // the character set is a bitmap (raster) font
	pts      float64 // for fixed metrics: points per unit
}

// fontWidths reads the FNC and FNI of a font character set resource.
func fontWidths(res *resource) *widthTable {
	var fnc []byte
	wt := &widthTable{byGCGID: map[string]float64{}}
	for _, f := range res.fields {
		switch f.ID {
		case idFNC:
			fnc = f.Data
		case idFNI:
			if len(fnc) < 16 {
				return nil
			}
			n := int(fnc[15]) // FNI repeating group length
			if n < 10 {
				return nil
			}
			for d := f.Data; len(d) >= n; d = d[n:] {
				wt.byGCGID[string(d[:8])] = float64(binary.BigEndian.Uint16(d[8:]))
			}
		}
	}
	if len(fnc) < 16 || len(wt.byGCGID) == 0 {
		return nil
	}
	wt.raster = fnc[1] == 0x05
	units := float64(binary.BigEndian.Uint16(fnc[6:]))
	if units == 0 {
		return nil
	}
	switch fnc[4] {
	case 0x02: // relative: units per em
		wt.relative = true
		for k, v := range wt.byGCGID {
			wt.byGCGID[k] = v * 1000 / units
		}
	case 0x00: // fixed: units per ten inches
		wt.pts = 720 / units
	default:
		return nil
	}
	return wt
}

// codePageGCGIDs reads the CPC and CPI of a code page resource: the GCGID
// of each code point.
func codePageGCGIDs(res *resource) map[byte]string {
	n := 0
	m := map[byte]string{}
	for _, f := range res.fields {
		switch f.ID {
		case idCPC:
			if len(f.Data) >= 10 {
				n = int(f.Data[9])
			}
		case idCPI:
			if n < 10 {
				return nil
			}
			for d := f.Data; len(d) >= n; d = d[n:] {
				m[d[9]] = string(d[:8])
			}
		}
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

// applyWidths gives a font the character increments of its character set
// when the file carries the set and its code page, so that text is placed
// by the IBM font's metrics and not by the stand-in's.
func (t *transformer) applyWidths(fs *fontSel, spec fontSpec) {
	if spec.charset == "" {
		return
	}
	res := t.resources[spec.charset]
	if res == nil || res.kind != idBFN {
		return
	}
	wt := fontWidths(res)
	if wt == nil {
		t.warn(spec.field, "font character set %s in the file has no width table this package reads; the stand-in font's widths are used", spec.charset)
		return
	}
	cpRes := t.resources[spec.codePage]
	if cpRes == nil || cpRes.kind != idBCP {
		t.warn(spec.field, "code page %s is not in the file; the widths of %s cannot be matched to code points and the stand-in font's are used", spec.codePage, spec.charset)
		return
	}
	gcgids := codePageGCGIDs(cpRes)
	if wt.raster {
		t3, err := rasterFont(res, gcgids)
		switch {
		case err != nil:
			t.warn(spec.field, "raster font %s: %v; drawn in the stand-in font %s", spec.charset, err, fs.font.rule.file)
		case t3 != nil:
			t3.res, t3.obj, t3.cp = fmt.Sprintf("R%d", len(t.rasterFonts)+1), t.pdf.reserve(), fs.cp
			t.rasterFonts = append(t.rasterFonts, t3)
			fs.type3 = t3
			return
		}
	}
	for c, g := range gcgids {
		w, ok := wt.byGCGID[g]
		if !ok {
			continue
		}
		if !wt.relative {
			w = w * wt.pts / fs.size * 1000
		}
		fs.incr[c], fs.haveIncr[c] = w, true
	}
}

// focaName is the token name of a FOCA Begin field.
func focaName(data []byte) string {
	return strings.TrimRight(afp.DecodeText(data[:min(8, len(data))], afp.DefaultCodePage), " \x00")
}
