package markread

import (
	"strings"
	"testing"

	"github.com/omsd/omsd/marks"
)

func TestPTOCARules(t *testing.T) {
	// At 1440 units per inch: move to inline 1440, baseline 720; an
	// I-axis rule 720 long and 72.5 wide; chained.
	d := []byte{0x2B, 0xD3, 4, 0xC7, 0x05, 0xA0, 4, 0xD3, 0x02, 0xD0, 7, 0xE4, 0x02, 0xD0, 0x00, 0x48, 0x80}
	rules, err := PTOCARules(d, 1440, 842)
	if err != nil {
		t.Fatal(err)
	}
	want := marks.Rect{X: 72, Y: 842 - 36 - 3.625, W: 36, H: 3.625}
	if len(rules) != 1 || rules[0] != want {
		t.Fatalf("rules %+v, want [%+v]", rules, want)
	}
	for _, bad := range [][]byte{{0x2B}, {0x2B, 0xD3}, {0x2B, 0xD3, 9, 0xE4}, {0x2B, 0xD3, 3, 0xE4, 1}, {0x40}} {
		if _, err := PTOCARules(bad, 1440, 842); err == nil || strings.Contains(err.Error(), "panic") {
			t.Errorf("% X: error %v, want one", bad, err)
		}
	}
}
