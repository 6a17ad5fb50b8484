package usbvm

import (
	"bytes"
	"fmt"
	"strconv"
	"testing"
)

// readEntry is one entry parsed back from a newc archive.
type readEntry struct {
	name         string
	mode         uint32
	data         string
	major, minor uint32
}

// readNewc parses a newc archive up to its trailer, checking the magic
// and the four-byte alignment of names and data.
func readNewc(t *testing.T, b []byte) []readEntry {
	t.Helper()
	var out []readEntry
	off := 0
	for {
		if off%4 != 0 || off+110 > len(b) {
			t.Fatalf("header at %d: misaligned or truncated", off)
		}
		h := string(b[off : off+110])
		if h[:6] != "070701" {
			t.Fatalf("header at %d: magic %q", off, h[:6])
		}
		field := func(i int) uint32 {
			v, err := strconv.ParseUint(h[6+8*i:14+8*i], 16, 32)
			if err != nil {
				t.Fatalf("header at %d: field %d: %v", off, i, err)
			}
			return uint32(v)
		}
		mode, size, rmaj, rmin, namesize := field(1), int(field(6)), field(9), field(10), int(field(11))
		name := string(b[off+110 : off+110+namesize-1])
		if b[off+110+namesize-1] != 0 {
			t.Fatalf("name %q not NUL-terminated", name)
		}
		off = align4(off + 110 + namesize)
		data := string(b[off : off+size])
		off = align4(off + size)
		if name == "TRAILER!!!" {
			if off != len(b) {
				t.Fatalf("%d bytes after the trailer", len(b)-off)
			}
			return out
		}
		out = append(out, readEntry{name, mode, data, rmaj, rmin})
	}
}

func align4(n int) int { return (n + 3) &^ 3 }

func TestArchiveNewc(t *testing.T) {
	a := newArchive()
	a.file("/usr/lib/x/libx.so.1", 0o755, []byte("12345"))
	a.symlink("bin/sh", "busybox")
	a.charDev("/dev/console", 5, 1)
	a.file("init", 0o755, []byte("#!/bin/sh\n"))
	a.dir("tmp")
	var buf bytes.Buffer
	if err := a.writeTo(&buf); err != nil {
		t.Fatal(err)
	}
	got := readNewc(t, buf.Bytes())
	want := []readEntry{
		{"bin", modeDir | 0o755, "", 0, 0},
		{"bin/sh", modeSymlink | 0o777, "busybox", 0, 0},
		{"dev", modeDir | 0o755, "", 0, 0},
		{"dev/console", modeCharDev | 0o600, "", 5, 1},
		{"init", modeFile | 0o755, "#!/bin/sh\n", 0, 0},
		{"tmp", modeDir | 0o755, "", 0, 0},
		{"usr", modeDir | 0o755, "", 0, 0},
		{"usr/lib", modeDir | 0o755, "", 0, 0},
		{"usr/lib/x", modeDir | 0o755, "", 0, 0},
		{"usr/lib/x/libx.so.1", modeFile | 0o755, "12345", 0, 0},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("archive entries\n got %v\nwant %v", got, want)
	}
}

func TestArchiveHashStable(t *testing.T) {
	build := func(order []string) string {
		a := newArchive()
		for _, n := range order {
			a.file(n, 0o644, []byte(n))
		}
		return a.hash()
	}
	h1, h2 := build([]string{"a/x", "b/y", "c"}), build([]string{"c", "b/y", "a/x"})
	if h1 != h2 {
		t.Errorf("hash depends on insertion order: %s vs %s", h1, h2)
	}
	if h3 := build([]string{"a/x", "b/y"}); h3 == h1 {
		t.Error("hash does not change with the contents")
	}
}
