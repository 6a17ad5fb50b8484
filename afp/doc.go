// Package afp reads, indexes and writes AFP print files (MO:DCA-P): the
// composed transactional print streams of mainframe and print-server
// shops, split here into mail pieces.
//
// # Structured fields
//
// A print file is a sequence of structured fields: 0x5A, a 2-byte length,
// a 3-byte identifier (D3xxxx), flags, two reserved bytes, data. Reader and
// Writer work like archive/tar's:
//
//	r := afp.NewReader(in)
//	w := afp.NewWriter(out)
//	for {
//		f, err := r.Next() // io.EOF after the last field
//		if err == io.EOF {
//			break
//		}
//		if err != nil {
//			return err // sticky: Next returns it again
//		}
//		if err := w.WriteField(f); err != nil {
//			return err
//		}
//	}
//	return w.Flush()
//
// Reading a file and writing every field back unchanged gives the same
// bytes. To that end a Field keeps what lies around it: Pre holds the
// bytes between the previous field and this one's 0x5A (a 4-byte record
// descriptor as z/OS writes them, CR and LF from a text-mode transfer, NUL
// padding), Trail the filler after the last field of the input. Data
// excludes the SFI extension (Ext, with FlagExt) and the padding (Pad,
// with FlagPad); segmented fields (FlagSeg) come one segment at a time;
// Reserved keeps the sequence numbers some producers write there; unknown
// identifiers pass through untouched. Offset is the input offset of the
// field's 0x5A; Size is its length in the file from the 0x5A on, not
// counting Pre and Trail. The Writer computes the length from the contents.
//
// Bad input gives a *FormatError with the byte offset and the field's name
// ("BNG", or the identifier in hex), wrapping one of the package's
// sentinel errors (ErrTruncated, ErrLength, ErrSyntax, ErrField,
// ErrStructure, ErrMediumMap) for errors.Is. Lengths are checked before
// use and nothing is allocated by a length read from the input.
//
// # Index
//
// BuildIndex reads a print file once, front to back, and returns an Index
// (BuildIndexAt builds the same Index from a file on every core, cut at
// the ends of page groups):
//
//   - Header: every byte before the first mail piece — inline resource
//     group, form map, BDT — and Trailer, every byte after the last (EDT).
//   - Pieces: each mail piece as a byte span of the input, with its name,
//     its TLE attributes, its pages, the medium maps it invokes and its
//     sheet count. Pieces lie back to back: bytes between two pieces, such
//     as an IMM before a page group, belong to the piece they precede.
//   - FormMap: the medium maps, from a form definition inline in the file
//     or given in IndexOptions.FormMap (see ParseFormMap).
//
// By default each named page group (BNG…ENG) is a piece; pages outside
// any group make pieces of their own. For streams without page groups,
// IndexOptions.Boundary starts a piece at every IMM (EveryIMM), at a TLE
// or NOP with a given key (TLEKey, NOPKey; the key's value names the
// piece), or every n pages (FixedPages). A boundary that would cut a page
// group in two is an error.
//
// A piece's attributes are the TLEs in its page group before and between
// pages (for other boundaries: those at document level before its pages),
// then those in its first page. TLE text is decoded with the code page of
// the TLE's 0x01 triplet, else IndexOptions.CodePage (500 by default); see
// CodePages for the supported ones. Text in an EBCDIC code page that is
// really ASCII is recognised and read as ASCII.
//
// Sheets follow the medium maps: each page goes on the current sheet
// until it holds sides × n-up pages (simplex, duplex, tumble, 1- to 4-up,
// from the map's MMC); every IMM starts a new sheet, and so does every
// piece. Without a form map every page is a simplex sheet.
//
// The index keeps byte offsets, never page contents: its memory grows
// with the number of pieces (about 250 bytes each), not with pages or
// bytes, and while it is built it holds no pointers per piece for the
// garbage collector to trace.
//
// # Outputs
//
// WriteOutput writes any subset of the pieces in any order as a
// standalone print file: the input's header, each piece copied from an
// io.ReaderAt by offset, the trailer. A piece that inherits its medium map
// from the piece before it in the input gets an IMM invoking that map, so
// that it prints the same wherever it lands. A PageHook may insert fields
// before each page's EPG (marks, barcodes); pieces are then walked field
// by field (without framing: read in large blocks, hopping by the fields'
// lengths, the bytes between two insertions written as one run),
// otherwise copied as byte ranges through a large buffer; a large output
// is written in chunks by a goroutine of its own while the next fills. The
// fields an output adds take the input's framing (Index.Framing: record
// descriptors, CR LF or other bytes after each field, NULs filling
// fixed-length records, as read from the first fields), so that a spool
// or printer that expects it reads the whole output; with fixed-length
// records every field is padded after the field it now follows.
package afp
