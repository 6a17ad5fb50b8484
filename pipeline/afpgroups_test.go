package pipeline

import (
	"errors"
	"testing"

	"github.com/omsd/omsd/config"
)

// noGroups is a public AFP sample of three pages without page groups.
const noGroups = "../afp/testdata/samples/printstreamer_test_afp.afp"

// TestAFPWithoutPageGroups checks that pagegroups on a file without any
// refuses it, naming the methods that would work, and that auto takes it
// as one piece with a warning.
func TestAFPWithoutPageGroups(t *testing.T) {
	wf := config.Workflow{Name: "afp", Format: "afp", Pieces: config.Pieces{Method: "pagegroups"}}
	f, err := Open(noGroups, wf)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.Analyze(wf, "")
	if !errors.Is(err, ErrBadInput) || !errors.Is(err, ErrNoPageGroups) {
		t.Fatalf("pagegroups: err = %v; want ErrBadInput and ErrNoPageGroups", err)
	}

	wf.Pieces.Method = "auto"
	f, err = Open(noGroups, wf)
	if err != nil {
		t.Fatal(err)
	}
	a, err := f.Analyze(wf, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Pieces) != 1 || a.Pieces[0].Pages != 3 || a.Method != "whole" || len(a.Warnings) != 1 {
		t.Errorf("auto: %d pieces by %s, warnings %q; want one 3-page piece by whole with a warning", len(a.Pieces), a.Method, a.Warnings)
	}
}
