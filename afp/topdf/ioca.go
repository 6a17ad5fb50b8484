package topdf

// drawImage reports an image object.
func (s *space) drawImage(o *dataObject) error {
	s.pg.t.warn(o.begin, "image object (IOCA) not supported; nothing drawn in its place")
	return nil
}
