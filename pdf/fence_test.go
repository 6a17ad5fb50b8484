package pdf

import (
	"errors"
	"strings"
	"testing"
)

func TestGuard(t *testing.T) {
	f := func() (err error) {
		defer guard(&err, "doc.pdf")
		var m map[string]int
		m["x"]++ // panics
		return nil
	}
	err := f()
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "doc.pdf") {
		t.Fatalf("error %v, want ErrDamaged naming the file", err)
	}
	ok := func() (err error) {
		defer guard(&err, "doc.pdf")
		return nil
	}
	if err := ok(); err != nil {
		t.Fatalf("error %v without a panic", err)
	}
}
