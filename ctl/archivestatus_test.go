package ctl

import (
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
)

// TestArchiveLine: the status line says when outputs wait for the store,
// and when archiving runs behind, how far and why.
func TestArchiveLine(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	since := now.Add(-90 * time.Second)
	for _, c := range []struct {
		a         api.ArchiveStatus
		want, not string
	}{
		{api.ArchiveStatus{Store: "s", Ready: true, Pieces: 5}, "s: 0 segments, 5 pieces", "WAIT"},
		{api.ArchiveStatus{Store: "s", Problem: "refused", Since: since}, "OUTPUTS WAIT since", "BEHIND"},
		{api.ArchiveStatus{Store: "s", Problem: "refused", Since: since, Backlog: 20, BacklogBytes: 4096, BacklogSince: since},
			"BEHIND: 20 pieces (4096 bytes) sent, not stored yet", "OUTPUTS WAIT"},
		{api.ArchiveStatus{Store: "s", Problem: "refused", Since: since, Backlog: 20, BacklogSince: since}, "the store fails since", "OUTPUTS WAIT"},
	} {
		got := archiveLine(c.a, now)
		if !strings.Contains(got, c.want) || strings.Contains(got, c.not) {
			t.Errorf("archiveLine(%+v) = %q, want %q without %q", c.a, got, c.want, c.not)
		}
	}
}
