package afp

import (
	"fmt"
	"strings"
)

// tripletNames are the short names of the MO:DCA triplets a dump shows.
var tripletNames = map[byte]string{
	0x01: "CGCSGID", 0x02: "FQN", 0x04: "MapOpt", 0x10: "ObjClass", 0x18: "IntSet",
	0x1F: "FontDesc", 0x21: "ResType", 0x22: "ExtResLID", 0x24: "ResLID", 0x25: "ResSecNo",
	0x26: "CharRot", 0x2D: "ObjOffset", 0x36: "AttrVal", 0x43: "DescPos", 0x45: "MediaEject",
	0x46: "PgOvlCond", 0x47: "ResUsage", 0x4B: "MeasUnit", 0x4C: "ObjSize", 0x4D: "AreaDef",
	0x4E: "Color", 0x50: "EncSchem", 0x56: "MedMapPg", 0x57: "ObjExtent", 0x58: "SFOffset",
	0x59: "SFExtent", 0x5A: "ObjOffset", 0x5D: "FontScale", 0x5E: "ObjCount", 0x62: "LocalTime",
	0x65: "Comment", 0x68: "MedOrient", 0x6C: "ResObjInc", 0x70: "PSReset", 0x71: "PSMix",
	0x72: "UTCTime", 0x74: "TonerSav", 0x75: "ColorFid", 0x78: "FontFid", 0x80: "AttrQual",
	0x81: "PgPosInfo", 0x82: "ParmVal", 0x83: "PresCtl", 0x84: "FontRes", 0x85: "Finishing",
	0x86: "TextFid", 0x87: "MediaFid", 0x88: "FinishFid", 0x8B: "DOFontDsc", 0x8C: "Locale",
	0x8E: "UP3iFin", 0x91: "CMRDesc", 0x95: "RendIntnt", 0x96: "CMRFid", 0x97: "DevAppear",
	0x9A: "ImgRes", 0x9C: "OCPSSize",
}

// fqnTypes names the FQN triplet's types.
var fqnTypes = map[byte]string{
	0x01: "replace first GID", 0x07: "font family", 0x08: "typeface", 0x09: "resource hierarchy ref",
	0x0A: "resource group ref", 0x0B: "attribute name", 0x0C: "process element", 0x0D: "page group ref",
	0x11: "media type ref", 0x12: "media destination ref", 0x41: "color management resource ref",
	0x6E: "base font", 0x7E: "linked font", 0x83: "document ref", 0x84: "resource object ref",
	0x85: "code page ref", 0x86: "font character set ref", 0x87: "page ref", 0x8D: "medium map ref",
	0x8E: "coded font ref", 0x98: "document index ref", 0xB0: "overlay ref",
	0xBE: "internal resource ref", 0xCA: "index element", 0xCE: "other object data ref",
	0xDE: "external resource ref",
}

// decodeTriplet decodes a triplet's contents d (after its length and
// identifier) for a dump; text is in code page cp.
func decodeTriplet(id byte, d []byte, cp int) string {
	text := func(b []byte) string { return fmt.Sprintf("%q", strings.ToValidUTF8(DecodeText(b, cp), "?")) }
	switch {
	case id == tripletCGCS && len(d) >= 4:
		gcsgid, cpgid := be16(d), be16(d[2:])
		if gcsgid == 0 {
			return fmt.Sprintf("ccsid=%d", cpgid)
		}
		return fmt.Sprintf("gcsgid=%d cpgid=%d", gcsgid, cpgid)
	case id == tripletFQN && len(d) >= 2:
		return fqnValue(d, text)
	case id == tripletValue && len(d) >= 2:
		return text(d[2:])
	case id == 0x80 && len(d) >= 8: // attribute qualifier
		return fmt.Sprintf("seq=%d level=%d", be32(d), be32(d[4:]))
	case id == 0x65:
		return text(d)
	}
	return hexValue(d)
}

// fqnValue decodes an FQN: its type, its format and its name.
func fqnValue(d []byte, text func([]byte) string) string {
	typ := fmt.Sprintf("type=%02X", d[0])
	if n, ok := fqnTypes[d[0]]; ok {
		typ += " (" + n + ")"
	}
	switch d[1] {
	case 0x00: // character string
		return typ + " " + text(d[2:])
	case 0x10: // object identifier
		return typ + " oid=" + hexValue(d[2:])
	case 0x20: // URL, in ASCII
		return typ + fmt.Sprintf(" url=%q", strings.ToValidUTF8(string(d[2:]), "?"))
	}
	return typ + fmt.Sprintf(" format=%02X ", d[1]) + hexValue(d[2:])
}

// hexValue shows bytes in hex, the first 32 of them.
func hexValue(d []byte) string {
	if len(d) > 32 {
		return fmt.Sprintf("%X… (%d bytes)", d[:32], len(d))
	}
	return fmt.Sprintf("%X", d)
}

func be32(b []byte) uint32 { return uint32(be16(b))<<16 | uint32(be16(b[2:])) }
