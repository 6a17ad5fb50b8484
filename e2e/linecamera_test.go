package e2e

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/marks/markread"
)

// sheetRead is what the line's camera read from one printed sheet's
// barcode (profile datamatrix-fbp: job 10, envelope 10, sheet 3, sheets
// 3, feeders 6, divert 1, reprint 1).
type sheetRead struct {
	job                     int64
	envelope, sheet, sheets int
	reprint                 int
}

// camera reads the Data Matrix on every sheet of a printed file, as the
// line's camera does, from the rendered pixels.
func camera(t *testing.T, path string) []sheetRead {
	t.Helper()
	p, err := marks.LoadProfile("datamatrix-fbp")
	if err != nil {
		t.Fatal(err)
	}
	cam := markread.Camera{Profile: p}
	views, err := cam.Views(&marks.SheetMarks{Barcode: strings.Repeat("0", 34)})
	if err != nil {
		t.Fatal(err)
	}
	imgs, err := cam.RenderViews(path, views)
	if err != nil {
		t.Fatal(err)
	}
	reads, err := cam.Read(imgs)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]sheetRead, len(reads))
	for i, r := range reads {
		out[i], err = parseFBP(r.Barcode)
		if err != nil {
			t.Fatalf("%s sheet %d: %v", path, i+1, err)
		}
	}
	return out
}

func parseFBP(s string) (sheetRead, error) {
	if len(s) != 34 {
		return sheetRead{}, fmt.Errorf("barcode %q: %d characters, want 34", s, len(s))
	}
	num := func(a, b int) int { n, _ := strconv.Atoi(s[a:b]); return n }
	job, _ := strconv.ParseInt(s[0:10], 10, 64)
	return sheetRead{job: job, envelope: num(10, 20), sheet: num(20, 23), sheets: num(23, 26), reprint: num(33, 34)}, nil
}

// envelopesRead groups the sheets read into envelopes by their envelope
// ID, checking sheet n of m; it returns the envelope IDs in feed order.
func envelopesRead(t *testing.T, sheets []sheetRead) []sheetRead {
	t.Helper()
	var envs []sheetRead
	for i, s := range sheets {
		if s.sheet == 1 {
			envs = append(envs, s)
		}
		if len(envs) == 0 || s.envelope != envs[len(envs)-1].envelope || s.sheet > s.sheets {
			t.Fatalf("sheet %d read %+v: out of collation", i+1, s)
		}
	}
	return envs
}
