package atomicfile

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// errReader yields some bytes, then fails.
type errReader struct{ sent bool }

var errRead = errors.New("read failed")

func (r *errReader) Read(p []byte) (int, error) {
	if r.sent {
		return 0, errRead
	}
	r.sent = true
	return copy(p, "partial data"), nil
}

// dirNames lists the entries of dir.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// assertFile fails t unless path holds content with permissions perm.
func assertFile(t *testing.T, path, content string, perm os.FileMode) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != content {
		t.Errorf("%s = %q, want %q", path, data, content)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != perm {
		t.Errorf("%s mode = %v (%v), want %v", path, fi.Mode().Perm(), err, perm)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	tests := []struct {
		name    string
		old     string // "" for no existing file
		r       io.Reader
		perm    os.FileMode
		want    string
		wantErr error
	}{
		{"new file", "", strings.NewReader("hello"), 0o640, "hello", nil},
		{"replaces", "old content", strings.NewReader("new"), 0o600, "new", nil},
		{"empty", "old", strings.NewReader(""), 0o600, "", nil},
		{"large", "", bytes.NewReader(bytes.Repeat([]byte("x"), 1<<20)), 0o600, strings.Repeat("x", 1<<20), nil},
		{"reader fails, no file", "", &errReader{}, 0o600, "", errRead},
		{"reader fails, old kept", "old content", &errReader{}, 0o600, "old content", errRead},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "input.pdf")
			if tt.old != "" {
				if err := os.WriteFile(path, []byte(tt.old), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			n, err := WriteFile(path, tt.r, tt.perm)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if err == nil && n != int64(len(tt.want)) {
				t.Errorf("n = %d, want %d", n, len(tt.want))
			}
			names := dirNames(t, dir)
			if tt.wantErr != nil && tt.old == "" {
				if len(names) != 0 {
					t.Errorf("directory holds %v after a failed write", names)
				}
				return
			}
			if len(names) != 1 || names[0] != "input.pdf" {
				t.Errorf("directory holds %v, want only input.pdf", names)
			}
			assertFile(t, path, tt.want, tt.perm)
		})
	}
}

func TestWriteFileAtomicMissingDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "absent", "f")
	if _, err := WriteFile(path, strings.NewReader("x"), 0o600); err == nil {
		t.Error("write into a missing directory succeeded")
	}
}

// moveCase is a Move test: where src and dst live.
type moveCase struct {
	name          string
	srcDir        string
	dstDir        string
	move          func(src, dst string) error
	mustBeCrossFS bool
}

func TestMoveFile(t *testing.T) {
	tmp := t.TempDir()
	cases := []moveCase{
		{"same directory", tmp, tmp, Move, false},
		{"same filesystem", tmp, mkdir(t, tmp, "sub"), Move, false},
		{"copy path direct", tmp, mkdir(t, tmp, "copy"), copyMove, false},
	}
	if shm, ok := otherFilesystem(t, tmp); ok {
		cases = append(cases, moveCase{"across filesystems", shm, tmp, Move, true},
			moveCase{"across filesystems back", tmp, shm, Move, true})
	} else {
		t.Logf("/dev/shm is not a separate writable filesystem here; the copy path is tested through copyMove")
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := filepath.Join(tc.srcDir, "src-"+strings.ReplaceAll(tc.name, " ", "-"))
			dst := filepath.Join(tc.dstDir, "dst-"+strings.ReplaceAll(tc.name, " ", "-"))
			if err := os.WriteFile(src, []byte("print data"), 0o640); err != nil {
				t.Fatal(err)
			}
			if tc.mustBeCrossFS {
				if err := os.Link(src, dst); !errors.Is(err, syscall.EXDEV) {
					t.Fatalf("link across %s and %s: %v, want EXDEV", tc.srcDir, tc.dstDir, err)
				}
			}
			if err := tc.move(src, dst); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(src); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("source still there (stat: %v)", err)
			}
			assertFile(t, dst, "print data", 0o640)
			for _, name := range dirNames(t, tc.dstDir) {
				if strings.Contains(name, ".tmp-") {
					t.Errorf("temp file %s left in %s", name, tc.dstDir)
				}
			}
		})
	}
}

func TestCopyMoveFailureLeavesNoDst(t *testing.T) {
	tmp := t.TempDir()
	dstDir := mkdir(t, tmp, "dst")
	tests := []struct {
		name string
		src  string
	}{
		{"missing source", filepath.Join(tmp, "absent")},
		{"directory source", mkdir(t, tmp, "adir")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := copyMove(tt.src, filepath.Join(dstDir, "out")); err == nil {
				t.Fatal("copyMove succeeded")
			}
			if names := dirNames(t, dstDir); len(names) != 0 {
				t.Errorf("destination directory holds %v", names)
			}
		})
	}
	if err := Move(filepath.Join(tmp, "absent"), filepath.Join(dstDir, "out")); err == nil {
		t.Error("Move of a missing file succeeded")
	}
}

func TestSyncDir(t *testing.T) {
	if err := SyncDir(t.TempDir()); err != nil {
		t.Error(err)
	}
	if err := SyncDir(filepath.Join(t.TempDir(), "absent")); err == nil {
		t.Error("SyncDir of a missing directory succeeded")
	}
}

// mkdir creates dir/name and returns its path.
func mkdir(t *testing.T, dir, name string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.Mkdir(p, 0o700); err != nil {
		t.Fatal(err)
	}
	return p
}

// otherFilesystem returns a fresh directory under /dev/shm if that is a
// writable filesystem other than the one holding dir.
func otherFilesystem(t *testing.T, dir string) (string, bool) {
	t.Helper()
	var a, b syscall.Stat_t
	if syscall.Stat(dir, &a) != nil || syscall.Stat("/dev/shm", &b) != nil || a.Dev == b.Dev {
		return "", false
	}
	shm, err := os.MkdirTemp("/dev/shm", "atomicfiletest-")
	if err != nil {
		return "", false
	}
	t.Cleanup(func() { os.RemoveAll(shm) })
	return shm, true
}

func TestFreeName(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.pdf")
	if got := FreeName(path); got != path {
		t.Errorf("FreeName of a free name = %s", got)
	}
	for _, taken := range []string{"a.pdf", "a.2.pdf"} {
		if err := os.WriteFile(filepath.Join(dir, taken), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := FreeName(path), filepath.Join(dir, "a.3.pdf"); got != want {
		t.Errorf("FreeName = %s; want %s", got, want)
	}
}

// TestWriteFileLongName writes and moves files under the longest legal
// names, with bytes that are not UTF-8: the temp names must fit too.
func TestWriteFileLongName(t *testing.T) {
	for _, name := range []string{
		strings.Repeat("a", 255),
		strings.Repeat("é", 120) + "\xff\xfe" + strings.Repeat("b", 13),
	} {
		if len(name) != 255 {
			t.Fatalf("test name of %d bytes", len(name))
		}
		dir := t.TempDir()
		path := filepath.Join(dir, name)
		if _, err := WriteFile(path, strings.NewReader("data"), 0o600); err != nil {
			t.Fatalf("WriteFile with a %d-byte name: %v", len(name), err)
		}
		other := t.TempDir()
		if err := copyMove(path, filepath.Join(other, name)); err != nil {
			t.Fatalf("copyMove with a %d-byte name: %v", len(name), err)
		}
		if names := dirNames(t, other); len(names) != 1 || names[0] != name {
			t.Errorf("directory holds %q", names)
		}
	}
}
