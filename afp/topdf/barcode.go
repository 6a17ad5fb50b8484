package topdf

// drawBarcode reports a barcode object: BCOCA is not rendered yet.
func (s *space) drawBarcode(o *dataObject) {
	s.pg.t.warn(o.begin, "bar code object (BCOCA) not supported; nothing drawn in its place")
}
