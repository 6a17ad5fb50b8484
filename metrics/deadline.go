package metrics

import (
	"time"

	"github.com/omsd/omsd/spool"
)

// atRisk counts the active jobs predicted to miss their deadline.
func (s *Service) atRisk(list []spool.Job, now time.Time) int { return 0 }
