package usbvm

import (
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
)

// File modes of cpio entries.
const (
	modeDir     = 0o040000
	modeFile    = 0o100000
	modeSymlink = 0o120000
	modeCharDev = 0o020000
)

// cpioEntry is one entry of an initramfs archive.
type cpioEntry struct {
	name         string // without leading slash
	mode         uint32 // type and permission bits
	data         []byte // file contents or symlink target
	major, minor uint32 // device numbers of a device node
}

// archive collects initramfs entries; parent directories are added
// automatically. Entries are written sorted by name, so the archive is
// the same for the same contents.
type archive struct {
	entries map[string]cpioEntry
}

func newArchive() *archive { return &archive{entries: map[string]cpioEntry{}} }

// clean turns a guest path into an entry name.
func clean(name string) string { return strings.TrimPrefix(path.Clean("/"+name), "/") }

// dir adds a directory and its parents.
func (a *archive) dir(name string) {
	name = clean(name)
	for p := name; p != "" && p != "."; p = path.Dir(p) {
		if _, ok := a.entries[p]; !ok {
			a.entries[p] = cpioEntry{name: p, mode: modeDir | 0o755}
		}
		if !strings.Contains(p, "/") {
			break
		}
	}
}

// add adds an entry and its parent directories.
func (a *archive) add(e cpioEntry) {
	e.name = clean(e.name)
	if d := path.Dir(e.name); d != "." {
		a.dir(d)
	}
	a.entries[e.name] = e
}

// file adds a regular file.
func (a *archive) file(name string, perm uint32, data []byte) {
	a.add(cpioEntry{name: name, mode: modeFile | perm&0o7777, data: data})
}

// symlink adds a symbolic link to target.
func (a *archive) symlink(name, target string) {
	a.add(cpioEntry{name: name, mode: modeSymlink | 0o777, data: []byte(target)})
}

// charDev adds a character device node.
func (a *archive) charDev(name string, major, minor uint32) {
	a.add(cpioEntry{name: name, mode: modeCharDev | 0o600, major: major, minor: minor})
}

// writeTo writes the archive in the "newc" cpio format the kernel
// unpacks, with the TRAILER!!! entry at the end.
func (a *archive) writeTo(w io.Writer) error {
	names := make([]string, 0, len(a.entries))
	for n := range a.entries {
		names = append(names, n)
	}
	sort.Strings(names) // parents before their children
	for i, n := range names {
		if err := writeEntry(w, uint32(i+1), a.entries[n]); err != nil {
			return err
		}
	}
	return writeEntry(w, 0, cpioEntry{name: "TRAILER!!!"})
}

// writeEntry writes one newc header, the name and the data, each padded
// to four bytes.
func writeEntry(w io.Writer, ino uint32, e cpioEntry) error {
	nlink := uint32(1)
	if e.mode&0o170000 == modeDir {
		nlink = 2
	}
	hdr := fmt.Sprintf("070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
		ino, e.mode, 0, 0, nlink, 0, len(e.data), 0, 0, e.major, e.minor, len(e.name)+1, 0)
	buf := make([]byte, 0, len(hdr)+len(e.name)+8+len(e.data))
	buf = append(buf, hdr...)
	buf = append(buf, e.name...)
	buf = append(buf, 0)
	buf = pad4(buf)
	buf = append(buf, e.data...)
	buf = pad4(buf)
	_, err := w.Write(buf)
	return err
}

// pad4 appends NUL bytes up to a multiple of four.
func pad4(b []byte) []byte {
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}
