package spool

// UnrecordSends takes back the transmission to printer that RecordSends
// added for each piece seq of job id, when the device took none of it:
// transmissions are recorded before they begin, so that one cut off by a
// crash still counts.
func (s *Store) UnrecordSends(id int64, seqs []int, printer string) error {
	return s.updateSends(id, seqs, func(ps *PieceSends) {
		n := len(ps.Printers)
		if ps.Sends == 0 || n == 0 || ps.Printers[n-1] != printer {
			return
		}
		ps.Sends--
		ps.Printers = ps.Printers[:n-1]
	})
}
