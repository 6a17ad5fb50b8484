package omsdcli

import (
	"bytes"
	"context"
	"testing"

	"github.com/omsd/omsd/version"
)

func TestVersionFlagAndCommand(t *testing.T) {
	for _, arg := range []string{"version", "--version"} {
		var out bytes.Buffer
		if err := Run(context.Background(), []string{arg}, &out, &out); err != nil {
			t.Fatalf("omsd %s: %v", arg, err)
		}
		if want := "omsd " + version.String() + "\n"; out.String() != want {
			t.Errorf("omsd %s = %q, want %q", arg, out.String(), want)
		}
	}
}
