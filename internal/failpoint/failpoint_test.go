//go:build failpoints

package failpoint

import "testing"

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want point
	}{
		{"", point{"", 1}},
		{"intake-copied", point{"intake-copied", 1}},
		{"intake-copied@3", point{"intake-copied", 3}},
		{"intake-copied@x", point{"intake-copied", 1}},
	}
	for _, tt := range tests {
		if got := parse(tt.in); got != tt.want {
			t.Errorf("parse(%q) = %+v; want %+v", tt.in, got, tt.want)
		}
	}
}
