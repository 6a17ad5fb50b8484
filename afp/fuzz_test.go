package afp

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/omsd/omsd/internal/afptest"
)

// FuzzReader reads any input; what it reads must write back to the same
// bytes and read again to the same fields.
func FuzzReader(f *testing.F) {
	f.Fuzz(func(t *testing.T, in []byte) {
		out, n, err := roundTrip(in)
		if err != nil {
			return
		}
		if !bytes.Equal(out, in) {
			t.Fatalf("%d fields read write back to other bytes:\n% X\n% X", n, in, out)
		}
		first, second := dumpFields(bytes.NewReader(in)), dumpFields(bytes.NewReader(out))
		if first != second {
			t.Fatalf("fields differ after writing back:\n%s\n%s", first, second)
		}
	})
}

// FuzzIndex indexes any input without panicking; what it indexes lays out
// consecutive spans and writes outputs that index again.
func FuzzIndex(f *testing.F) {
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, b := range []Boundary{PageGroups(), EveryIMM(), TLEKey("ACCOUNT"), NOPKey("PIECE"), FixedPages(2)} {
			idx, err := BuildIndex(bytes.NewReader(in), IndexOptions{Boundary: b})
			if err != nil {
				continue
			}
			checkLayout(t, idx)
			pages := 0
			for _, p := range idx.Pieces {
				pages += int(p.Pages)
			}
			if pages != idx.Pages {
				t.Fatalf("%s: pieces hold %d pages, index %d", b, pages, idx.Pages)
			}
			order := make([]int, len(idx.Pieces))
			for i := range order {
				order[i] = len(order) - i
			}
			var out bytes.Buffer
			hook := func(*Piece, PagePlace) []*Field { return []*Field{{ID: IDNOP}} }
			if err := WriteOutput(&out, bytes.NewReader(in), idx, order, hook); err != nil {
				t.Fatalf("%s: WriteOutput: %v", b, err)
			}
			if byField, err := writeByField(in, idx, order, hook); err != nil || !bytes.Equal(byField, out.Bytes()) {
				t.Fatalf("%s: the output field by field differs (%v)", b, err)
			}
			if b.Kind != BoundaryPageGroups {
				continue
			}
			again, err := BuildIndex(bytes.NewReader(out.Bytes()), IndexOptions{})
			if err != nil || again.Pages != idx.Pages {
				t.Fatalf("output of %d pages indexes to %v, %v", idx.Pages, again, err)
			}
		}
	})
}

// fuzzSeeds are the seed inputs of both fuzz tests: small samples, the
// tolerated layouts, small runs, and broken files.
func fuzzSeeds(t *testing.T) map[string][]byte {
	seeds := map[string][]byte{}
	for _, path := range samples(t) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) <= 25<<10 {
			seeds["sample_"+strings.TrimSuffix(filepath.Base(path), ".afp")] = b
		}
	}
	nop := sf(IDNOP, 0, 0, []byte("hi"))
	seeds["record_descriptors"] = cat(rdw(bdt, 4), rdw(nop, 4), rdw(edt, 4))
	seeds["crlf"] = cat(bdt, []byte("\r\n"), edt, []byte("\r\n"))
	seeds["extension_padding_segments"] = cat(sf(IDNOP, FlagExt|FlagPad, 7, []byte{2, 'e'}, []byte("d"), []byte{0, 3, 0}),
		sf(IDTLE, FlagSeg, 0, tleData(t, "A", "1")[:4]), sf(IDTLE, 0, 0, tleData(t, "A", "1")[4:]))
	seeds["boundaries"] = boundaryRun(t)
	for _, opt := range []afptest.Options{{Pages: 4, Seed: 11, TextBytes: 20}, {Pages: 3, Seed: 12, TextBytes: 10, RecordPrefix: true},
		{Pages: 3, Seed: 13, TextBytes: 10, FieldEnd: []byte("\r\n")}, {Pages: 2, Seed: 14, TextBytes: 10, RecordLength: 120}} {
		in, _ := generate(t, opt)
		seeds[fmt.Sprintf("run_seed%d", opt.Seed)] = in
	}
	page := pageFields(t, 1)
	seeds["bad_nested_bng"] = docFields(groupFields(t, "G1", groupFields(t, "G2", page)))
	seeds["bad_eng_without_bng"] = docFields(page, sf(IDENG, 0, 0))
	seeds["bad_missing_edt"] = cat(bdt, groupFields(t, "G1", page))
	seeds["bad_garbage_after_edt"] = cat(docFields(page), []byte("garbage"))
	seeds["bad_length_below_8"] = []byte{0x5A, 0, 5, 0xD3, 0xA8, 0xAD, 0, 0, 0}
	return seeds
}

// TestFuzzCorpus keeps the seed corpus in testdata/fuzz up to date (go
// test ./afp -update rewrites it); go test runs the seeds.
func TestFuzzCorpus(t *testing.T) {
	seeds := fuzzSeeds(t)
	names := make([]string, 0, len(seeds))
	for name := range seeds {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, fuzz := range []string{"FuzzReader", "FuzzIndex", "FuzzSplitIndex"} {
		dir := filepath.Join("testdata", "fuzz", fuzz)
		for _, name := range names {
			text := "go test fuzz v1\n[]byte(" + strconv.Quote(string(seeds[name])) + ")\n"
			path := filepath.Join(dir, name)
			if *update {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if b, err := os.ReadFile(path); err != nil || string(b) != text {
				t.Errorf("seed %s out of date (go test ./afp -update): %v", path, err)
			}
		}
	}
}
