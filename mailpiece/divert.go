package mailpiece

import (
	"strings"

	"github.com/omsd/omsd/meta"
)

// Diverted reports whether the metadata field names diverts a piece: its
// value is set and not 0, no or false. An empty field name diverts none.
func Diverted(m meta.Fields, field string) bool {
	if field == "" {
		return false
	}
	switch strings.ToLower(strings.TrimSpace(m.Get(field))) {
	case "", "0", "no", "false":
		return false
	}
	return true
}
