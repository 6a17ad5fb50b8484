package afp

// pageRun goes through the page content that follows in the scanner's
// buffer (BAG, PGD, PTX, EPT, …: the fields inPage takes) without handing
// each to the indexer as a rawField: it keeps their nesting in x.stack and
// leaves the scanner as if next had read them. It stops before the first
// field the indexer acts on (EPG, TLE, IMM, …), one with an extension,
// padding or segments, one not wholly buffered, or filler, and returns the
// number of fields it went through. Most fields of a run are page content.
func (s *scanner) pageRun(x *indexer) int {
	buf, w := s.buf, s.w
	r, pending, off := s.r+s.pending, s.pending, s.off
	n, last := 0, uint32(0)
	for w-r >= introducerLen && buf[r] == 0x5A {
		length := int(buf[r+1])<<8 | int(buf[r+2])
		if length < introducerLen-1 || w-r <= length || buf[r+6]&(FlagExt|FlagPad|FlagSeg) != 0 {
			break
		}
		id := be24(buf[r+3:])
		if !x.skips(id, off+int64(pending)) {
			break
		}
		off += int64(pending)
		r, pending, last = r+1+length, 1+length, id
		n++
	}
	if n > 0 {
		s.r, s.off, s.pending, s.pre, s.last = r-pending, off, pending, s.pre[:0], last
	}
	return n
}

// skips takes the page content field id at offset off as inPage does, and
// reports whether it did.
func (x *indexer) skips(id uint32, off int64) bool {
	switch id >> 8 & 0xFF {
	case 0xA8: // Begin
		if id == IDBPG || id == IDBNG || id == IDBDT || id == IDBMM || isResource(id) || len(x.stack) >= maxDepth {
			return false
		}
		x.stack = append(x.stack, openField{id: id, start: off, off: off})
		return true
	case 0xA9: // End
		beginID := id&^0xFF00 | 0xA800
		n := len(x.stack)
		if beginID == IDBPG || beginID == IDBMM || n == 0 || x.stack[n-1].id != beginID {
			return false
		}
		x.stack = x.stack[:n-1]
		return true
	}
	switch id {
	case IDTLE, IDIMM, IDIPG, IDNOP, IDMCC, IDMMC:
		return false
	}
	return true
}
