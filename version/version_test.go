package version

import (
	"runtime/debug"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	rev := []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}}
	dirty := append(rev, debug.BuildSetting{Key: "vcs.modified", Value: "true"})
	tests := []struct {
		name     string
		main     string
		settings []debug.BuildSetting
		want     string
	}{
		{"go run without vcs", "(devel)", nil, "devel"},
		{"empty", "", nil, "devel"},
		{"tagged module", "v1.4.0", rev, "v1.4.0"},
		{"revision", "(devel)", rev, "devel+0123456789ab"},
		{"dirty revision", "(devel)", dirty, "devel+0123456789ab-dirty"},
		{"pseudo-version gives the revision", "v0.0.0-20261205020000-0123456789ab", rev, "devel+0123456789ab"},
		{"dirty tag gives the revision", "v1.4.0+dirty", dirty, "devel+0123456789ab-dirty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bi := &debug.BuildInfo{Main: debug.Module{Version: tt.main}, Settings: tt.settings}
			if got := fromBuildInfo(bi); got != tt.want {
				t.Errorf("fromBuildInfo = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStampedWins(t *testing.T) {
	old := stamped
	t.Cleanup(func() { stamped = old })
	stamped = "2.0.1"
	if got := String(); got != "2.0.1" {
		t.Errorf("String = %q, want the stamped 2.0.1", got)
	}
}
