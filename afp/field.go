package afp

import "fmt"

// Flag bits of a structured field introducer.
const (
	FlagExt byte = 0x80 // an SFI extension follows the introducer
	FlagSeg byte = 0x20 // the data continues in the next field (segmented)
	FlagPad byte = 0x08 // padding follows the data
)

// Identifiers of the structured fields this package acts on. Every other
// identifier is carried through unchanged.
const (
	IDBPF uint32 = 0xD3A8A5 // Begin Print File
	IDEPF uint32 = 0xD3A9A5 // End Print File
	IDBDT uint32 = 0xD3A8A8 // Begin Document
	IDEDT uint32 = 0xD3A9A8 // End Document
	IDBNG uint32 = 0xD3A8AD // Begin Named Page Group
	IDENG uint32 = 0xD3A9AD // End Named Page Group
	IDBPG uint32 = 0xD3A8AF // Begin Page
	IDEPG uint32 = 0xD3A9AF // End Page
	IDBRG uint32 = 0xD3A8C6 // Begin Resource Group
	IDERG uint32 = 0xD3A9C6 // End Resource Group
	IDBRS uint32 = 0xD3A8CE // Begin Resource
	IDERS uint32 = 0xD3A9CE // End Resource
	IDBFM uint32 = 0xD3A8CD // Begin Form Map
	IDEFM uint32 = 0xD3A9CD // End Form Map
	IDBMM uint32 = 0xD3A8CC // Begin Medium Map
	IDEMM uint32 = 0xD3A9CC // End Medium Map
	IDBMO uint32 = 0xD3A8DF // Begin Overlay
	IDBPS uint32 = 0xD3A85F // Begin Page Segment
	IDBOC uint32 = 0xD3A892 // Begin Object Container
	IDTLE uint32 = 0xD3A090 // Tag Logical Element
	IDNOP uint32 = 0xD3EEEE // No Operation
	IDIMM uint32 = 0xD3ABCC // Invoke Medium Map
	IDIPG uint32 = 0xD3AFAF // Include Page
	IDMCC uint32 = 0xD3A288 // Medium Copy Count
	IDMMC uint32 = 0xD3A788 // Medium Modification Control
)

// Field is one structured field. Data, Ext and Pad exclude the introducer;
// Pre and Trail keep the bytes around the field that are not part of any
// field, so that writing a field back gives the bytes that were read.
type Field struct {
	ID       uint32 // identifier: class D3, type, category
	Flags    byte   // FlagExt, FlagSeg, FlagPad and any other bits as read
	Reserved uint16 // bytes 7–8 of the introducer; some producers number fields here
	Ext      []byte // SFI extension without its length byte; only with FlagExt
	Data     []byte // the data: parameters, often triplets
	Pad      []byte // padding including its count byte(s); only with FlagPad
	Pre      []byte // before the 0x5A: a 4-byte record descriptor, CR, LF or NUL filler
	Trail    []byte // filler after the last field of the input
	Offset   int64  // offset of the field's 0x5A in the input
}

// Length is the value of the field's length bytes: the introducer without
// the 0x5A, the extension, the data and the padding.
func (f *Field) Length() int {
	n := introducerLen - 1 + len(f.Data) + len(f.Pad)
	if f.Flags&FlagExt != 0 {
		n += 1 + len(f.Ext)
	}
	return n
}

// Size is the number of bytes the field takes from its 0x5A to its end
// (1 + Length); Pre and Trail are not counted.
func (f *Field) Size() int { return 1 + f.Length() }

// Name is the field's acronym ("BNG", "TLE", …), or its identifier in hex
// ("D3A7CA") when the identifier is not a known one.
func (f *Field) Name() string { return IDName(f.ID) }

// Segmented reports whether the field's data continues in the next field.
func (f *Field) Segmented() bool { return f.Flags&FlagSeg != 0 }

// IsBegin reports whether the identifier is that of a Begin field (type A8).
func IsBegin(id uint32) bool { return id>>8&0xFF == 0xA8 }

// IsEnd reports whether the identifier is that of an End field (type A9).
func IsEnd(id uint32) bool { return id>>8&0xFF == 0xA9 }

// IDName is the acronym of a structured field identifier, or the identifier
// in hex when it is not a known one.
func IDName(id uint32) string {
	if n, ok := names[id]; ok {
		return n
	}
	return fmt.Sprintf("%06X", id)
}
