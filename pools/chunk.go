package pools

// Cut cuts a run of envelopes, in print order, whose sheets are sheets,
// into chunks of at most max sheets, never inside an envelope (an envelope
// larger than max is a chunk of its own). It returns how many envelopes
// each chunk holds; max <= 0 or a run that fits is one chunk.
func Cut(sheets []int, max int) []int {
	if len(sheets) == 0 {
		return nil
	}
	var chunks []int
	n, cur := 0, 0
	for _, s := range sheets {
		if max > 0 && cur > 0 && cur+s > max {
			chunks = append(chunks, n)
			n, cur = 0, 0
		}
		n, cur = n+1, cur+s
	}
	return append(chunks, n)
}
