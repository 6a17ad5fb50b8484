package afp

import (
	"math"
	"strings"
)

// leadIn notes a field at document level that belongs to a piece (IMM,
// BNG, BPG, IPG, a boundary TLE or NOP): the first one ends the header.
func (x *indexer) leadIn(f *rawField) {
	if !x.header {
		x.header = true
		x.cut = f.start()
	}
}

func (x *indexer) groups() bool { return x.opt.Boundary.Kind == BoundaryPageGroups }

func (x *indexer) beginGroup(f *rawField, data []byte) error {
	switch {
	case !x.doc:
		return formatErr(ErrStructure, f.off, "BNG", "page group outside a document")
	case x.page:
		return formatErr(ErrStructure, f.off, "BNG", "page group inside a page")
	case x.group:
		return formatErr(ErrStructure, f.off, "BNG", "nested BNG: the page group begun at offset %d is still open", x.groupOff)
	}
	x.leadIn(f)
	x.group, x.groupOff, x.groupPages = true, f.off, 0
	x.idx.PageGroups++
	name, ok := x.addName(data)
	if !ok {
		return formatErr(ErrLength, f.off, "BNG", "names and values past 4 GiB")
	}
	x.groupName = name
	if x.groups() {
		if err := x.closePiece(x.cut); err != nil { // pages outside groups before this one
			return err
		}
		x.openPiece(x.cut)
		x.cur.name = name
	}
	return nil
}

func (x *indexer) endGroup(f *rawField) error {
	x.group = false
	x.cut = f.end()
	if x.groups() {
		return x.closePiece(x.cut)
	}
	return nil
}

func (x *indexer) beginPage(f *rawField) error {
	switch {
	case !x.doc:
		return formatErr(ErrStructure, f.off, "BPG", "page outside a document")
	case x.page:
		return formatErr(ErrStructure, f.off, "BPG", "page inside a page")
	}
	if !x.group {
		x.leadIn(f)
	}
	x.page = true
	x.newPage()
	return nil
}

// newPage forgets the tags of the page before.
func (x *indexer) newPage() {
	x.pageTrigger, x.pageName, x.pageAttrs, x.pageText = false, textRef{}, x.pageAttrs[:0], len(x.text)
}

func (x *indexer) endPage(f *rawField) error {
	x.page = false
	if err := x.countPage(f); err != nil {
		return err
	}
	if !x.group {
		x.cut = f.end()
	}
	return nil
}

func (x *indexer) includePage(f *rawField) error {
	if x.page {
		return nil // an IPG inside a page is the page's business
	}
	if !x.group {
		x.leadIn(f)
	}
	x.newPage()
	return x.endPage(f)
}

// maxPages is the most pages an index takes: pieces count their pages in
// 32 bits.
var maxPages = math.MaxInt32 // a variable so that tests can lower it

// needPiece reports whether the page being counted starts a new piece.
func (x *indexer) needPiece() bool {
	p := x.cur
	switch {
	case p == nil:
		return true
	case x.groups() || p.pages == 0:
		return false
	case x.opt.Boundary.Kind == BoundaryPages:
		return int(p.pages) >= x.opt.Boundary.Pages
	}
	return x.split || x.pageTrigger
}

// countPage adds the page that f ends to the open piece, or to a new one.
func (x *indexer) countPage(f *rawField) error {
	if x.needPiece() {
		if x.cur != nil && x.group && x.groupPages > 0 {
			return formatErr(ErrStructure, f.off, f.name(), "piece boundary inside the page group begun at offset %d", x.groupOff)
		}
		if err := x.closePiece(x.cut); err != nil {
			return err
		}
		x.openPiece(x.cut)
	}
	if x.idx.Pages >= maxPages {
		return formatErr(ErrStructure, f.off, f.name(), "more than %d pages", maxPages)
	}
	p := x.cur
	x.takePending(p)
	p.pages++
	x.idx.Pages++
	p.sheets = int32(x.sheets.page(x.perSheet()))
	if p.pages == 1 {
		p.firstPage = int32(x.idx.Pages)
		x.curAttrs = append(x.curAttrs, x.pageAttrs...)
		if p.name.empty() {
			p.name = x.pageName
		}
		if len(x.curMaps) == 0 {
			p.startMap = x.activeMap()
		}
	} else if len(x.pageAttrs) > 0 {
		x.text = x.text[:x.pageText] // tags of a later page: not kept
	}
	if x.group {
		x.groupPages++
	}
	x.split, x.pageTrigger = false, false
	return nil
}

// openPiece starts a piece at offset start, on a new sheet.
func (x *indexer) openPiece(start int64) {
	x.cur = x.recs.add()
	x.cur.offset = start
	x.curAttrs, x.curMaps = x.curAttrs[:0], x.curMaps[:0]
	x.sheets = sheetCounter{}
	x.takePending(x.cur)
	if !x.groups() && x.group && x.groupPages == 0 && x.cur.name.empty() {
		x.cur.name = x.groupName
	}
}

// closePiece ends the open piece, if any, at offset end.
func (x *indexer) closePiece(end int64) error {
	p := x.cur
	if p == nil {
		return nil
	}
	x.cur = nil
	p.length = end - p.offset
	x.idx.Sheets += int(p.sheets)
	p.attrStart = uint32(len(x.attrs))
	x.attrs = append(reserve(x.attrs, len(x.curAttrs)), x.curAttrs...)
	p.attrEnd = uint32(len(x.attrs))
	var ok bool
	if p.maps, ok = x.listID(x.curMaps); !ok {
		return formatErr(ErrStructure, end, "", "more than %d different lists of medium maps", maxNames)
	}
	return nil
}

// takePending gives the open piece p the attributes, map invocations and
// name seen at document level since the last page.
func (x *indexer) takePending(p *pieceRec) {
	x.curAttrs = append(x.curAttrs, x.pendingAttrs...)
	x.pendingAttrs = x.pendingAttrs[:0]
	for _, m := range x.pendingMaps {
		x.addMap(m)
	}
	x.pendingMaps = x.pendingMaps[:0]
	if !x.pendingName.empty() && p.name.empty() {
		p.name = x.pendingName
	}
	x.pendingName = textRef{}
}

// addMap notes a medium map the open piece invokes, once.
func (x *indexer) addMap(m int32) {
	for _, have := range x.curMaps {
		if have == m {
			return
		}
	}
	x.curMaps = append(x.curMaps, m)
}

// trigger notes a piece boundary seen outside a page: the next page starts
// a new piece. Inside a page group that already has pages the piece could
// not be cut out whole.
func (x *indexer) trigger(f *rawField) error {
	if x.group && x.groupPages > 0 && x.cur != nil {
		return formatErr(ErrStructure, f.off, f.name(), "piece boundary inside the page group begun at offset %d, after its first page", x.groupOff)
	}
	x.split = true
	return nil
}

// invoke handles an IMM: a new sheet under the named medium map.
func (x *indexer) invoke(f *rawField, data []byte) error {
	if x.page {
		return formatErr(ErrStructure, f.off, "IMM", "medium map invoked inside a page")
	}
	if len(data) < 8 {
		return formatErr(ErrField, f.off, "IMM", "%d bytes of data, shorter than the 8-byte map name", len(data))
	}
	id, m, err := x.mediumMap(f, data)
	if err != nil {
		return err
	}
	x.active, x.activeID, x.inherit = m, id, false
	x.sheets.newSheet()
	if !x.group {
		x.leadIn(f)
	}
	if x.groups() && x.group {
		x.addMap(id)
	} else {
		x.pendingMaps = append(x.pendingMaps, id)
	}
	if x.opt.Boundary.Kind == BoundaryIMM {
		return x.trigger(f)
	}
	return nil
}

// mediumMap numbers the medium map an IMM names and looks it up in the form
// map. IMMs with nothing but the 8-byte name are decoded once per name.
func (x *indexer) mediumMap(f *rawField, data []byte) (int32, *MediumMap, error) {
	if len(data) == 8 {
		if c, ok := x.immCache[[8]byte(data)]; ok {
			return c.id, c.m, nil
		}
	}
	name := beginName(data)
	var m *MediumMap
	if x.fm != nil {
		if m = x.fm.Map(name); m == nil {
			return 0, nil, formatErr(ErrMediumMap, f.off, "IMM", "medium map %q is not in form map %s", name, x.fm.Name)
		}
	}
	id, ok := nameID(&x.mapNames, x.mapIndex, name)
	if !ok {
		return 0, nil, formatErr(ErrStructure, f.off, "IMM", "more than %d medium map names", maxNames)
	}
	if _, ok := x.idx.tokens[name]; !ok {
		x.idx.tokens[name] = [8]byte(data[:8])
	}
	if len(data) == 8 && len(x.immCache) < maxNames {
		x.immCache[[8]byte(data)] = immEntry{id, m}
	}
	return id, m, nil
}

// tle handles a Tag Logical Element at document, group or page level.
func (x *indexer) tle(f *rawField, data []byte) error {
	text, detail := parseTLE(data, x.cp)
	if detail != "" {
		return formatErr(ErrField, f.off, "TLE", "%s", detail)
	}
	if x.groups() && !x.group && !x.page {
		return nil // document-level tags stay in the bytes of the next piece
	}
	name, ok := x.attrName(text)
	if !ok {
		return formatErr(ErrStructure, f.off, "TLE", "more than %d attribute names", maxNames)
	}
	value, ok := x.addText(text.value, text.cp)
	if !ok {
		return formatErr(ErrLength, f.off, "TLE", "names and values past 4 GiB")
	}
	key := x.opt.Boundary.Kind == BoundaryTLE && x.attrNames[name] == x.opt.Boundary.Key
	return x.tag(f, attrRec{name, value}, key)
}

// nop handles a NOP when NOPs mark boundaries: one whose text starts with
// the key is a boundary, and the rest of its text the piece's name.
func (x *indexer) nop(f *rawField, data []byte) error {
	key := x.opt.Boundary.Key
	text := DecodeText(data[:min(len(data), len(key)+256)], x.cp)
	if !strings.HasPrefix(text, key) {
		return nil
	}
	value, _ := x.addText([]byte(strings.TrimLeft(text[len(key):], " =:")), cpUTF8)
	name, ok := nameID(&x.attrNames, x.attrIndex, key)
	if !ok {
		return formatErr(ErrStructure, f.off, "NOP", "more than %d attribute names", maxNames)
	}
	return x.tag(f, attrRec{name, value}, true)
}

// tag files an attribute where it belongs; key marks a piece boundary.
func (x *indexer) tag(f *rawField, a attrRec, key bool) error {
	switch {
	case x.page:
		x.pageAttrs = append(x.pageAttrs, a)
		if key {
			x.pageTrigger, x.pageName = true, a.value
		}
	case x.groups():
		x.curAttrs = append(x.curAttrs, a)
	default:
		if !x.group && key {
			x.leadIn(f)
		}
		x.pendingAttrs = append(x.pendingAttrs, a)
		if key {
			x.pendingName = a.value
			return x.trigger(f)
		}
	}
	return nil
}

// attrName numbers a TLE's attribute name, decoding each name once for
// the default code page.
func (x *indexer) attrName(t tleText) (int32, bool) {
	if t.cp == x.cp {
		if id, ok := x.rawAttr[string(t.name)]; ok {
			return id, true
		}
	}
	id, ok := nameID(&x.attrNames, x.attrIndex, trimText(DecodeText(t.name, t.cp)))
	if ok && t.cp == x.cp && len(x.rawAttr) < maxNames {
		x.rawAttr[string(t.name)] = id
	}
	return id, ok
}

// perSheet is how many pages fill a sheet under the map in effect.
func (x *indexer) perSheet() int {
	if m := x.currentMap(); m != nil {
		return m.PagesPerSheet()
	}
	return 1
}

func (x *indexer) currentMap() *MediumMap {
	if x.inherit {
		x.usedInherit = true
	}
	if x.active != nil || x.fm == nil {
		return x.active
	}
	return x.fm.Default()
}

// activeMap numbers the map in effect; -1 when none is known.
func (x *indexer) activeMap() int32 {
	if x.inherit {
		x.usedInherit = true
	}
	if x.activeID >= 0 {
		return x.activeID
	}
	if m := x.currentMap(); m != nil {
		id, _ := nameID(&x.mapNames, x.mapIndex, m.Name)
		return id
	}
	return -1
}

// sheetCounter places pages on sheets: a page starts a new sheet when the
// current one is full, after an IMM, and at the start of a piece.
type sheetCounter struct {
	onSheet int // pages on the current sheet; 0: the next page starts one
	sheets  int // sheets started
}

// page places one page and returns the number of the sheet it is on.
func (c *sheetCounter) page(perSheet int) int {
	if c.onSheet == 0 {
		c.sheets++
	}
	c.onSheet++
	if c.onSheet >= perSheet {
		c.onSheet = 0
	}
	return c.sheets
}

// newSheet makes the next page start a new sheet.
func (c *sheetCounter) newSheet() { c.onSheet = 0 }
