// Package pdf reads PDF print files and writes selections of their pages.
//
// The package parses PDF itself, lazily: Open reads the file into memory,
// its cross-reference table, catalog and page tree, and builds a page map
// (page number to page object). Other objects are parsed when they are
// needed, straight from the file's bytes. Writing an output copies the
// objects its pages need, with new object numbers, and copies stream data
// as it is stored, without decoding it. A damaged cross-reference table is
// rebuilt by scanning the file for objects, as other readers do.
//
// Pieces of a mail run can be found from the outline (one bookmark per
// piece) or from a PDF/VT document part tree; both are read through the
// page map, in time linear in their size.
//
// Page numbers are 1-based throughout. Every exported entry point turns a
// panic into an error wrapping ErrDamaged, so that no input can crash the
// caller.
package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"runtime/debug"
)

var (
	// ErrNotPDF reports a file that is empty or does not start with
	// "%PDF-" (within its first 1024 bytes).
	ErrNotPDF = errors.New("pdf: not a PDF file")
	// ErrTruncated reports a file without "%%EOF" in its last 1024 bytes:
	// cut off in transfer, or still being written.
	ErrTruncated = errors.New("pdf: file is truncated")
	// ErrDamaged reports a file that starts and ends like a PDF but whose
	// structure cannot be read.
	ErrDamaged = errors.New("pdf: file is damaged")
	// ErrOutline reports a bookmark that does not lead to a page of the
	// document.
	ErrOutline = errors.New("pdf: bookmark does not lead to a page")
	// ErrDPart reports a PDF/VT document part tree that does not describe
	// records of consecutive pages of the document.
	ErrDPart = errors.New("pdf: document part tree is unusable")
	// ErrPageRange reports a page number outside the document.
	ErrPageRange = errors.New("pdf: page number out of range")
	// ErrOutput reports an output specification that cannot be written,
	// such as a form whose resource name clashes with a page's.
	ErrOutput = errors.New("pdf: output cannot be written")
)

// Doc is a parsed PDF document. Its methods are safe for concurrent use.
type Doc struct {
	path    string
	data    []byte   // the file's bytes, in memory or mapped
	mapped  *mapping // the mapping of a large file, or nil
	base    int64    // where "%PDF-" starts; offsets in the file count from there
	version string   // "1.4", from the header or the catalog's /Version
	xref    []uint64 // object number -> entry, see xref.go
	trailer dict
	catalog dict
	pages   pageMap
	objstms objstmCache
	rebuilt bool // the xref was rebuilt by scanning the file
	big     bigCache
	// endstreams lists where each "endstream" starts, while the xref is
	// being rebuilt.
	endstreams []int
}

// Open reads and parses the PDF file at path. It checks cheaply that the
// file is a complete PDF before parsing it; errors wrap ErrNotPDF,
// ErrTruncated or ErrDamaged and say what is wrong. A file below 64 MiB is
// read into memory once: the Doc does not change if the file does. A
// larger one is mapped read-only and read as it is used, so that its size
// is not a matter of memory; it must not change while the Doc is in use
// (one cut short gives errors wrapping ErrDamaged). Close releases it.
func Open(path string) (*Doc, error) { return open(path, mapAbove) }

// open is Open, mapping files of mapFrom bytes or more.
func open(path string, mapFrom int64) (d *Doc, err error) {
	var m *mapping
	defer func() {
		if err != nil && m != nil {
			m.release()
		}
	}()
	defer guard(&err, path)
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	var data []byte
	data, m, err = load(path, mapFrom)
	if err != nil {
		return nil, err
	}
	d, err = parse(path, data, m)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if m != nil {
		m.keep(d)
		m.Drop() // what the structure's parsing brought in
	}
	return d, nil
}

// parse reads the structure of the file in data: xref, catalog, page tree.
// m is the mapping data is, or nil.
func parse(path string, data []byte, m *mapping) (*Doc, error) {
	d := &Doc{path: path, data: data, mapped: m, base: max(0, int64(bytes.Index(data, []byte("%PDF-"))))}
	if err := d.readStructure(); err != nil {
		return nil, err
	}
	d.version = d.fileVersion()
	pages, err := newPageMap(d)
	if err != nil {
		return nil, err
	}
	d.pages = pages
	return d, nil
}

// readStructure reads the xref and the catalog, and rebuilds the xref by
// scanning the file if they cannot be read.
func (d *Doc) readStructure() error {
	xref, trailer, err := d.readXref()
	if err == nil {
		d.xref, d.trailer = xref, trailer
		err = d.checkXref()
	}
	if err == nil && d.trailer.has("Encrypt") {
		return errEncrypted
	}
	if err == nil {
		err = d.readCatalog()
	}
	if err == nil {
		return nil
	}
	d.rebuilt = true
	if rerr := d.rebuild(); rerr != nil {
		return fmt.Errorf("%w: its structure cannot be read (%v; scanning the file for objects: %v)", ErrDamaged, err, rerr)
	}
	if d.trailer.has("Encrypt") {
		return errEncrypted
	}
	if rerr := d.readCatalog(); rerr != nil {
		return fmt.Errorf("%w: its structure cannot be read (%v; after scanning the file for objects: %v)", ErrDamaged, err, rerr)
	}
	return nil
}

// checkXref checks that every object the xref places in the file starts
// where it says: an xref that lies is rebuilt.
func (d *Doc) checkXref() error {
	for num, e := range d.xref {
		if entryKind(e) != inFile {
			continue
		}
		l := &lexer{b: d.data, pos: int(min(entryOffset(e), int64(len(d.data))))}
		n, _, ok := l.header()
		d.touched(entryOffset(e), int64(l.pos))
		if !ok || n != num {
			return fmt.Errorf("%w: object %d is not at offset %d", errXref, num, entryOffset(e))
		}
	}
	return nil
}

var errEncrypted = fmt.Errorf("%w: it is encrypted, which is not supported", ErrDamaged)

// readCatalog finds the catalog through the trailer's /Root.
func (d *Doc) readCatalog() error {
	cat, err := d.resolveDict(d.trailer.get("Root"))
	if err != nil || cat == nil {
		return fmt.Errorf("%w: the trailer names no catalog (%v)", errXref, err)
	}
	d.catalog = cat
	return nil
}

// fileVersion is the PDF version of the file: its header's, or the
// catalog's /Version if that is higher.
func (d *Doc) fileVersion() string {
	v := "1.4"
	if h := d.data[min(d.base+5, int64(len(d.data))):]; len(h) >= 3 && h[0] >= '1' && h[0] <= '2' && h[1] == '.' && h[2] >= '0' && h[2] <= '9' {
		v = string(h[:3])
	}
	if c, ok := d.catalog.nameOf("Version"); ok && len(c) == 3 && string(c) > v && c[1] == '.' {
		v = string(c)
	}
	return v
}

// Path is the path the document was opened from.
func (d *Doc) Path() string { return d.path }

// Repaired reports whether the document's cross-reference table was damaged
// or lied, so that Open rebuilt it by scanning the file for objects. The
// document is then read as other readers would read it, but it deserves a
// warning: an object the scan found may not be the one its producer meant.
func (d *Doc) Repaired() bool { return d.rebuilt }

// PageCount is the number of pages of the document.
func (d *Doc) PageCount() int { return d.pages.count() }
