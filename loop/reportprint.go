package loop

import (
	"github.com/omsd/omsd/api"
)

// Statuses of a run without an inserting line: nothing reports the pieces
// after the printer, so the close-out counts what the printers confirmed.
const (
	statusPrinted    = "printed"
	statusNotPrinted = "not-printed"
)

// countPrinted adds to a close-out the pieces the printers confirmed
// printed. A run whose workflow and printer name no inserting line is
// print only: its pieces out are the pieces printed, its unaccounted
// pieces those not printed, and the report says it has no line.
func (s *Service) countPrinted(rep *api.JobReport, rs runStatus) error {
	sends, err := s.store.Sends(rs.root.ID)
	if err != nil {
		return err
	}
	printed := map[int]bool{}
	for _, seq := range rs.expected {
		if sends[seq].Confirmed != "" {
			printed[seq] = true
			rep.PiecesPrinted++
		}
	}
	if _, hasLine := s.cfg.LineFor(rs.root.Workflow, rs.root.Printer); hasLine || rs.root.Loop != nil {
		return nil
	}
	rep.NoLine, rep.PiecesOut = true, rep.PiecesPrinted
	rep.Status, rep.Unaccounted = map[string]int{}, []int{}
	for _, seq := range rs.expected {
		if printed[seq] {
			rep.Status[statusPrinted]++
			continue
		}
		if st := rs.pieces[seq]; st.status == statusDelivered || st.status == statusFellBack {
			rep.Status[st.status]++
			rep.PiecesOut++
			continue
		}
		rep.Status[statusNotPrinted]++
		rep.Unaccounted = append(rep.Unaccounted, seq)
	}
	return nil
}
