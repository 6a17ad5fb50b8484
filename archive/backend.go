package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/omsd/omsd/atomicfile"
)

// ErrNoSegment is returned for a segment the store does not hold.
var ErrNoSegment = errors.New("archive: no such segment")

// Backend stores segments by name. Put returns once the segment is
// durable; a segment is never written twice.
type Backend interface {
	Put(ctx context.Context, name string, data []byte) error
	Get(ctx context.Context, name string) ([]byte, error)
	GetRange(ctx context.Context, name string, off, n int64) ([]byte, error)
	List(ctx context.Context) ([]string, error)
	Delete(ctx context.Context, name string) error
	String() string // where, for messages
}

// Dir is the local back end: one file per segment in a directory.
type Dir struct{ Path string }

const segExt = ".seg"

func (d Dir) file(name string) string { return filepath.Join(d.Path, name+segExt) }

func (d Dir) String() string { return d.Path }

// Put writes the segment to a temporary file, syncs and renames it.
func (d Dir) Put(_ context.Context, name string, data []byte) error {
	if err := os.MkdirAll(d.Path, 0o755); err != nil {
		return err
	}
	_, err := atomicfile.WriteFile(d.file(name), bytes.NewReader(data), 0o444)
	return err
}

func (d Dir) Get(_ context.Context, name string) ([]byte, error) {
	b, err := os.ReadFile(d.file(name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNoSegment, name)
	}
	return b, err
}

func (d Dir) GetRange(_ context.Context, name string, off, n int64) ([]byte, error) {
	f, err := os.Open(d.file(name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNoSegment, name)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || off < 0 || n < 0 || off+n > st.Size() {
		return nil, fmt.Errorf("%w: %s has no bytes %d+%d", ErrDamaged, name, off, n)
	}
	b := make([]byte, n)
	if _, err := f.ReadAt(b, off); err != nil && err != io.EOF {
		return nil, err
	}
	return b, nil
}

func (d Dir) List(context.Context) ([]string, error) {
	ents, err := os.ReadDir(d.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range ents {
		if n, ok := strings.CutSuffix(e.Name(), segExt); ok && e.Type().IsRegular() {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names, nil
}

func (d Dir) Delete(_ context.Context, name string) error {
	err := os.Remove(d.file(name))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return atomicfile.SyncDir(d.Path)
}
