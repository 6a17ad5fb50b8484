package inserter

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/omsd/omsd/records"
)

// Write encodes m in layout l into dir under FileName, atomically, and
// returns its path. A manifest of the same name is replaced whole.
func Write(dir string, l *records.Layout, m Manifest) (string, error) {
	var buf bytes.Buffer
	if err := Encode(&buf, l, m); err != nil {
		return "", err
	}
	path := filepath.Join(dir, FileName(l, m))
	if err := writeAtomic(path, buf.Bytes()); err != nil {
		return "", fmt.Errorf("manifest %s: %w", path, err)
	}
	return path, nil
}

// writeAtomic writes data to path through a hidden temporary file in the
// same directory: write, fsync, close, rename, fsync the directory. On an
// error before the rename the temporary file is removed and path is
// untouched.
func writeAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
