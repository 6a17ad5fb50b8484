//go:build !cgo

package usb

import (
	"context"
	"errors"
	"testing"

	"github.com/rs/zerolog"
)

func TestBuiltWithoutCgo(t *testing.T) {
	if _, err := New(Config{Match: "0525:a4a8"}, zerolog.Nop()); !errors.Is(err, ErrNoCgo) {
		t.Errorf("New: %v, want ErrNoCgo", err)
	}
	if _, err := List(context.Background()); !errors.Is(err, ErrNoCgo) {
		t.Errorf("List: %v, want ErrNoCgo", err)
	}
}
