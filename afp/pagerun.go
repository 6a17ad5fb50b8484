package afp

// pageRun goes through the page content that follows in the scanner's
// buffer (BAG, PGD, PTX, EPT, …: the fields inPage takes) without handing
// each to the indexer as a rawField: it keeps their nesting in x.stack and
// leaves the scanner as if next had read them. It stops before the first
// field the indexer acts on (EPG, TLE, IMM, …), one with an extension,
// padding or segments, one not wholly buffered, or filler, and returns the
// number of fields it went through. Most fields of a run are page content.
func (s *scanner) pageRun(x *indexer) int {
	buf, w, stack := s.buf, s.w, x.stack
	r, pending, off := s.r+s.pending, s.pending, s.off
	n, last := 0, uint32(0)
scan:
	for w-r >= introducerLen && buf[r] == 0x5A {
		length := int(buf[r+1])<<8 | int(buf[r+2])
		if length < introducerLen-1 || w-r <= length || buf[r+6]&(FlagExt|FlagPad|FlagSeg) != 0 {
			break
		}
		id := uint32(buf[r+3])<<16 | uint32(buf[r+4])<<8 | uint32(buf[r+5])
		at := off + int64(pending)
		switch id >> 8 & 0xFF { // as inPage
		case 0xA8: // Begin
			if id == IDBPG || id == IDBNG || id == IDBDT || id == IDBMM || isResource(id) || len(stack) >= maxDepth {
				break scan
			}
			stack = append(stack, openField{id: id, start: at, off: at})
		case 0xA9: // End
			beginID := id&^0xFF00 | 0xA800
			k := len(stack)
			if beginID == IDBPG || beginID == IDBMM || k == 0 || stack[k-1].id != beginID {
				break scan
			}
			stack = stack[:k-1]
		default:
			switch id {
			case IDTLE, IDIMM, IDIPG, IDNOP, IDMCC, IDMMC:
				break scan
			}
		}
		off = at
		r, pending, last = r+1+length, 1+length, id
		n++
	}
	x.stack = stack
	if n > 0 {
		s.r, s.off, s.pending, s.pre, s.last = r-pending, off, pending, s.pre[:0], last
	}
	return n
}
