package mailpiece

import "strings"

// Diverted reports whether the metadata field names diverts a piece: its
// value is set and not 0, no or false. An empty field name diverts none.
func Diverted(meta map[string]string, field string) bool {
	if field == "" {
		return false
	}
	switch strings.ToLower(strings.TrimSpace(meta[field])) {
	case "", "0", "no", "false":
		return false
	}
	return true
}
