// Package atomicfile writes and moves files so that a crash at any moment
// leaves either the whole new file or the old state, never a part: write to
// a temp file beside the target, fsync, rename, fsync the directory. The
// spool keeps print data with it, and the pipeline writes its outputs with
// it; it knows nothing of either.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"unicode/utf8"
)

// WriteFile writes r to path with permissions perm, through a temp file
// in the same directory: write, fsync, close, rename, fsync the directory. It
// returns the number of bytes written. On an error before the rename the temp
// file is removed and path is untouched; an error syncing the directory after
// the rename leaves the new file in place.
func WriteFile(path string, r io.Reader, perm os.FileMode) (int64, error) {
	return WriteWith(path, perm, func(f *os.File) error {
		_, err := io.Copy(f, r)
		return err
	})
}

// WriteWith is WriteFile for a writer that writes into the temp
// file itself: write fills f (it must not close it), and the rest — fsync,
// close, rename, directory fsync, cleanup on error — is as there.
func WriteWith(path string, perm os.FileMode, write func(f *os.File) error) (int64, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+tempStem(base)+".tmp-*")
	if err != nil {
		return 0, fmt.Errorf("write %s: %w", path, err)
	}
	n, err := fillTemp(f, write, perm)
	if err != nil {
		os.Remove(f.Name())
		return 0, fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		os.Remove(f.Name())
		return 0, fmt.Errorf("write %s: %w", path, err)
	}
	if err := SyncDir(dir); err != nil {
		return n, fmt.Errorf("write %s: %w", path, err)
	}
	return n, nil
}

// tempStemMax bounds the part of a file's name its temp name repeats, so
// that the temp name of any legal name (up to NAME_MAX, 255 bytes) fits:
// "." + stem + ".tmp-" + up to 10 random digits.
const tempStemMax = 200

// tempStem is base, cut to tempStemMax bytes at a character boundary.
func tempStem(base string) string {
	if len(base) <= tempStemMax {
		return base
	}
	cut := tempStemMax
	for cut > 0 && !utf8.RuneStart(base[cut]) {
		cut--
	}
	return base[:cut]
}

// fillTemp fills f with write, sets perm, fsyncs and closes f, and returns
// f's size. f is closed whatever happens.
func fillTemp(f *os.File, write func(*os.File) error, perm os.FileMode) (int64, error) {
	var n int64
	err := write(f)
	if err == nil {
		n, err = f.Seek(0, io.SeekCurrent)
	}
	if err == nil {
		err = f.Chmod(perm)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// Move moves src to dst. On one filesystem it is a rename(2) followed by
// an fsync of the directories involved. Across filesystems (EXDEV) it copies
// src to a temp file beside dst, fsyncs it, renames it to dst, fsyncs dst's
// directory, then removes src and fsyncs src's directory. It never leaves a
// partial dst; if it fails before dst exists, src is untouched.
func Move(src, dst string) error {
	err := os.Rename(src, dst)
	if errors.Is(err, syscall.EXDEV) {
		return copyMove(src, dst)
	}
	if err != nil {
		return fmt.Errorf("move file: %w", err)
	}
	if err := SyncDir(filepath.Dir(dst)); err != nil {
		return fmt.Errorf("move file: %w", err)
	}
	if filepath.Dir(src) == filepath.Dir(dst) {
		return nil
	}
	if err := SyncDir(filepath.Dir(src)); err != nil {
		return fmt.Errorf("move file: %w", err)
	}
	return nil
}

// copyMove is Move's path across filesystems: copy to dst atomically,
// then remove src.
func copyMove(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("move file: %w", err)
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return fmt.Errorf("move file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("move file %s: not a regular file", src)
	}
	if _, err := WriteFile(dst, in, fi.Mode().Perm()); err != nil {
		return fmt.Errorf("move file: %w", err)
	}
	if err := os.Remove(src); err != nil {
		return fmt.Errorf("move file: remove source: %w", err)
	}
	if err := SyncDir(filepath.Dir(src)); err != nil {
		return fmt.Errorf("move file: %w", err)
	}
	return nil
}

// SyncDir fsyncs directory dir, making the creation, removal and renaming of
// its entries durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync directory: %w", err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return nil
}

// FreeName returns path, or path with a number before its extension if a
// file of that name is already there.
func FreeName(path string) string {
	if !exists(path) {
		return path
	}
	ext := filepath.Ext(path)
	base := strings.TrimSuffix(path, ext)
	for i := 2; ; i++ {
		p := fmt.Sprintf("%s.%d%s", base, i, ext)
		if !exists(p) {
			return p
		}
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, os.ErrNotExist)
}
