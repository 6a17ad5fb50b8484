package pdf

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/omsd/omsd/internal/pdftest"
)

func TestOpen(t *testing.T) {
	small := pdftest.Options{Pieces: []int{2, 1, 3}, Bookmarks: true}
	big := pdftest.Options{Pieces: []int{5, 3, 1, 2, 4, 10, 7, 7, 20, 1, 1, 1, 30, 9}, Balanced: true}
	tests := []struct {
		name  string
		path  func(t *testing.T) string
		pages int
	}{
		{"flat", func(t *testing.T) string { return writeRun(t, small) }, 6},
		{"balanced", func(t *testing.T) string { return writeRun(t, big) }, 101},
		{"qpdf object streams", func(t *testing.T) string {
			return rewrite(t, writeRun(t, big), "--object-streams=generate")
		}, 101},
		{"qpdf linearized", func(t *testing.T) string {
			return rewrite(t, writeRun(t, small), "--linearize")
		}, 6},
		{"junk before the header", func(t *testing.T) string {
			data, err := os.ReadFile(writeRun(t, small))
			if err != nil {
				t.Fatal(err)
			}
			junk := bytes.Repeat([]byte("junk\n"), 200) // 1000 bytes
			return writeBytes(t, "junk.pdf", append(junk, data...))
		}, 6},
		{"bytes after %%EOF", func(t *testing.T) string {
			data, err := os.ReadFile(writeRun(t, small))
			if err != nil {
				t.Fatal(err)
			}
			return writeBytes(t, "tail.pdf", append(data, bytes.Repeat([]byte{0}, 900)...))
		}, 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path(t)
			d, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			if d.PageCount() != tc.pages {
				t.Errorf("PageCount() = %d, want %d", d.PageCount(), tc.pages)
			}
			if d.Path() != path {
				t.Errorf("Path() = %q, want %q", d.Path(), path)
			}
			if d.Repaired() {
				t.Errorf("Repaired() = true for a sound file")
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	good := func(t *testing.T) []byte {
		data, err := os.ReadFile(writeRun(t, pdftest.Options{Pieces: []int{2, 1, 3}, Bookmarks: true}))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	tests := []struct {
		name    string
		path    func(t *testing.T) string
		wantErr error
		wantMsg string
	}{
		{"missing", func(t *testing.T) string { return t.TempDir() + "/none.pdf" }, fs.ErrNotExist, "none.pdf"},
		{"directory", func(t *testing.T) string { return t.TempDir() }, ErrNotPDF, "not a regular file"},
		{"empty", func(t *testing.T) string { return writeBytes(t, "empty.pdf", nil) }, ErrNotPDF, "empty"},
		{"text", func(t *testing.T) string {
			return writeBytes(t, "text.pdf", []byte("Dear customer,\nplease pay.\n%%EOF\n"))
		}, ErrNotPDF, "does not start with %PDF-"},
		{"header after 1024 bytes of junk", func(t *testing.T) string {
			return writeBytes(t, "late.pdf", append(bytes.Repeat([]byte("x"), 1025), good(t)...))
		}, ErrNotPDF, "does not start with %PDF-"},
		{"cut in half", func(t *testing.T) string {
			data := good(t)
			return writeBytes(t, "half.pdf", data[:len(data)/2])
		}, ErrTruncated, "does not end with %%EOF"},
		{"%%EOF too far from the end", func(t *testing.T) string {
			return writeBytes(t, "far.pdf", append(good(t), bytes.Repeat([]byte(" "), 1030)...))
		}, ErrTruncated, "%%EOF"},
		{"garbage", func(t *testing.T) string {
			return writeBytes(t, "garbage.pdf", []byte("%PDF-1.4\n"+strings.Repeat("garbage ", 200)+"\n%%EOF\n"))
		}, ErrDamaged, "structure cannot be read"},
		{"garbage in the middle", func(t *testing.T) string {
			data := good(t)
			copy(data[len(data)/3:], bytes.Repeat([]byte("#"), len(data)/3))
			return writeBytes(t, "middle.pdf", data)
		}, ErrDamaged, "pdf: file is damaged"},
		{"page count wrong", func(t *testing.T) string {
			objs := rawDoc("")
			objs[1] = strings.Replace(objs[1], "/Count 3", "/Count 5", 1)
			return writeRaw(t, objs...)
		}, ErrDamaged, "says it holds 5 pages but holds 3"},
		{"page tree loop", func(t *testing.T) string {
			objs := rawDoc("")
			objs[1] = strings.Replace(objs[1], "5 0 R]", "2 0 R]", 1)
			return writeRaw(t, objs...)
		}, ErrDamaged, "object 2 appears twice"},
		{"no pages", func(t *testing.T) string {
			return writeRaw(t, "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>")
		}, ErrDamaged, "no pages"},
		{"kid not a page", func(t *testing.T) string {
			objs := rawDoc("")
			objs[3] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
			return writeRaw(t, objs...)
		}, ErrDamaged, "object 4: type Font"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Open(tc.path(t))
			if err == nil {
				t.Fatalf("no error; %d pages", d.PageCount())
			}
			t.Log(err)
			if !errors.Is(err, tc.wantErr) || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %q, want %q saying %q", err, tc.wantErr, tc.wantMsg)
			}
		})
	}
}
