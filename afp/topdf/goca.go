package topdf

// drawGraphics reports a graphics object.
func (s *space) drawGraphics(o *dataObject) {
	s.pg.t.warn(o.begin, "graphics object (GOCA) not supported; nothing drawn in its place")
}
