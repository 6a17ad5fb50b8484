package afptest

import (
	"bytes"
	"os/exec"
	"testing"
)

// TestEBCDICMatchesIconv checks the generator's encoding against glibc
// iconv for every character it writes.
func TestEBCDICMatchesIconv(t *testing.T) {
	if _, err := exec.LookPath("iconv"); err != nil {
		t.Fatalf("iconv not found (install the Debian package libc-bin): %v", err)
	}
	text := "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789 .,-/& éäöüßÄÖÜ"
	for _, cp := range []struct {
		n       int
		charset string
	}{{500, "IBM500"}, {273, "IBM273"}} {
		cmd := exec.Command("iconv", "-f", "UTF-8", "-t", cp.charset)
		cmd.Stdin = bytes.NewReader([]byte(text))
		want, err := cmd.Output()
		if err != nil {
			t.Fatalf("iconv -t %s: %v (glibc's gconv modules come with the Debian package libc6)", cp.charset, err)
		}
		if got := EBCDIC(text, cp.n); !bytes.Equal(got, want) {
			t.Errorf("code page %d:\n got % X\nwant % X", cp.n, got, want)
		}
	}
	if got := EBCDIC("€", 500); !bytes.Equal(got, []byte{0x6F}) {
		t.Errorf("unknown character: % X, want 6F", got)
	}
}

func TestWriteIsDeterministic(t *testing.T) {
	var a, b, c bytes.Buffer
	if _, err := Write(&a, Options{Pages: 50, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(&b, Options{Pages: 50, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(&c, Options{Pages: 50, Seed: 4}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same seed wrote different runs")
	}
	if bytes.Equal(a.Bytes(), c.Bytes()) {
		t.Error("different seeds wrote the same run")
	}
}

// TestGroundTruthAddsUp checks the truth against itself and the bytes:
// pieces back to back between header and trailer, each starting with an
// IMM or BNG, pages and sheets summed.
func TestGroundTruthAddsUp(t *testing.T) {
	for _, opt := range []Options{{Pages: 300, Seed: 1}, {Pages: 120, Seed: 2, RecordPrefix: true},
		{Pages: 120, Seed: 3, FieldEnd: []byte("\r\n")}, {Pages: 60, Seed: 4, RecordPrefix: true, FieldEnd: []byte{0, 0}},
		{Pages: 60, Seed: 5, RecordPrefix: true, RecordLength: 2048}, {Pages: 300, Seed: 6, SmallPages: true}} {
		var buf bytes.Buffer
		gt, err := Write(&buf, opt)
		if err != nil {
			t.Fatal(err)
		}
		run := buf.Bytes()
		if gt.Size != int64(len(run)) || gt.Pages != opt.Pages {
			t.Fatalf("truth says %d bytes, %d pages; wrote %d bytes for %d pages", gt.Size, gt.Pages, len(run), opt.Pages)
		}
		at, pages, sheets := gt.HeaderLen, 0, 0
		for _, p := range gt.Pieces {
			if p.Offset != at || p.FirstPage != pages+1 || p.Pages < 1 || p.Pages > 9 || opt.SmallPages && p.Pages > 6 || p.Sheets < 1 || p.Sheets > p.Pages {
				t.Fatalf("piece %+v after offset %d, page %d", p, at, pages)
			}
			first := run[p.Offset:]
			for len(first) > 0 && first[0] != 0x5A && !opt.RecordPrefix || opt.RecordPrefix && len(first) > 4 && first[4] != 0x5A {
				first = first[1:] // the bytes that end the field before
			}
			if opt.RecordPrefix {
				first = first[4:]
			}
			if id := [3]byte(first[3:6]); first[0] != 0x5A || id != [3]byte{0xD3, 0xAB, 0xCC} && id != [3]byte{0xD3, 0xA8, 0xAD} {
				t.Fatalf("piece %d starts with % X, not an IMM or BNG", p.Seq, first[:6])
			}
			at, pages, sheets = p.Offset+p.Length, pages+p.Pages, sheets+p.Sheets
		}
		if at+gt.TrailerLen != gt.Size || pages != gt.Pages || sheets != gt.Sheets {
			t.Errorf("pieces end at %d with %d pages, %d sheets; truth %d-%d, %d, %d", at, pages, sheets, gt.Size, gt.TrailerLen, gt.Pages, gt.Sheets)
		}
	}
}

func TestWriteRejectsBadOptions(t *testing.T) {
	if _, err := Write(&bytes.Buffer{}, Options{Pages: -1}); err == nil {
		t.Error("negative page count accepted")
	}
}
