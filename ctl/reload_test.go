package ctl

import (
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
)

func TestStatusShowsLastReload(t *testing.T) {
	at := time.Date(2026, 12, 5, 3, 0, 0, 0, time.Local)
	for _, tt := range []struct {
		r    api.ReloadStatus
		want string
	}{
		{api.ReloadStatus{Time: at, Applied: true, Changes: []string{"printer p2 added"}}, "last reload  2026-12-05 03:00:00: applied: printer p2 added\n"},
		{api.ReloadStatus{Time: at, Error: "bad\nworse"}, "last reload  2026-12-05 03:00:00: refused, the running configuration stays: bad; worse\n"},
	} {
		var b strings.Builder
		if err := printStatus(&b, api.Status{LastReload: &tt.r}, at); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), tt.want) {
			t.Errorf("status lacks %q:\n%s", tt.want, b.String())
		}
	}
}
