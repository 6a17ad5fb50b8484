package index

import (
	"fmt"
	"strings"
	"time"
)

// Op is how a condition compares a field.
type Op string

const (
	Equal  Op = "="  // the value exactly
	Prefix Op = "^"  // values starting with Value
	Range  Op = ".." // Value <= value <= To, as strings
	Text   Op = "~"  // every word of Value begins a word of the name and address
)

// Cond is one condition of a query.
type Cond struct {
	Field string `json:"field"`
	Op    Op     `json:"op"`
	Value string `json:"value"`
	To    string `json:"to,omitempty"`
}

// Query selects records: all conditions hold, and the record was sent in
// [From, To) when those are set.
type Query struct {
	Conds []Cond    `json:"conds,omitempty"`
	From  time.Time `json:"from,omitzero"`
	To    time.Time `json:"to,omitzero"`
	Limit int       `json:"limit,omitempty"` // 0: DefaultLimit
}

// DefaultLimit caps a query's results unless it sets its own limit.
const DefaultLimit = 1000

// ParseCond reads one condition as written on the command line:
// FIELD=VALUE, FIELD=PREFIX*, FIELD=LOW..HIGH, or text=WORDS (also
// FIELD~WORDS) for the name and address.
func ParseCond(s string) (Cond, error) {
	if f, v, ok := strings.Cut(s, "~"); ok && !strings.Contains(f, "=") {
		return Cond{Field: "text", Op: Text, Value: v}, checkField(f)
	}
	f, v, ok := strings.Cut(s, "=")
	if !ok || f == "" {
		return Cond{}, fmt.Errorf("condition %q: write FIELD=VALUE, FIELD=PREFIX*, FIELD=LOW..HIGH or text=WORDS", s)
	}
	switch {
	case f == "text":
		return Cond{Field: f, Op: Text, Value: v}, nil
	case strings.Contains(v, ".."):
		lo, hi, _ := strings.Cut(v, "..")
		return Cond{Field: f, Op: Range, Value: lo, To: hi}, nil
	case strings.HasSuffix(v, "*"):
		return Cond{Field: f, Op: Prefix, Value: strings.TrimSuffix(v, "*")}, nil
	}
	return Cond{Field: f, Op: Equal, Value: v}, nil
}

func checkField(f string) error {
	if f == "" {
		return fmt.Errorf("condition ~%s: name the field, e.g. text~WORDS", f)
	}
	return nil
}
