package spool

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/meta"
)

// newStore opens a store in a fresh temp directory, closed at test end.
func newStore(t *testing.T) *Store {
	t.Helper()
	return openStore(t, t.TempDir())
}

// openStore opens the store in dir, closed at test end.
func openStore(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(dir)
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestOpenCreatesLayout(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "var", "spool")
	s := openStore(t, dir)
	if s.Dir() != dir {
		t.Errorf("Dir() = %q, want %q", s.Dir(), dir)
	}
	for _, name := range []string{dbFile, jobsDir} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestOpenRefusesFileAsDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := Open(path); err == nil {
		s.Close()
		t.Fatal("Open of a regular file succeeded")
	}
}

func TestReopenPersists(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	j, err := s.CreateJob(Job{Name: "a.pdf", Workflow: "invoices", StateReasons: []string{"job-incoming"}})
	if err != nil {
		t.Fatal(err)
	}
	pieces := []Piece{{Seq: 1, FirstPage: 1, Pages: 2, Sheets: 1, Meta: meta.FromMap(map[string]string{"zip": "10115"})}}
	if err := s.SetPieces(j.ID, pieces); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openStore(t, dir)
	got, err := s.Job(j.ID)
	if err != nil {
		t.Fatal(err)
	}
	assertJob(t, got, j)
	gotPieces, err := s.Pieces(j.ID)
	if err != nil {
		t.Fatal(err)
	}
	assertPieces(t, gotPieces, pieces)
	ev, err := s.JobEvents(j.ID)
	if err != nil || len(ev) != 1 {
		t.Fatalf("JobEvents = %v, %v; want the creation event", ev, err)
	}
	next, err := s.CreateJob(Job{Name: "b.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	if next.ID != j.ID+1 {
		t.Errorf("ID after reopen = %d, want %d", next.ID, j.ID+1)
	}
}

func TestSecondOpenFails(t *testing.T) {
	dir := t.TempDir()
	openStore(t, dir)
	start := time.Now()
	s, err := Open(dir)
	if err == nil {
		s.Close()
		t.Fatal("second Open succeeded while the first is open")
	}
	if !errors.Is(err, ErrLocked) {
		t.Errorf("error %v does not wrap ErrLocked", err)
	}
	if !strings.Contains(err.Error(), "another omsd is using the spool") {
		t.Errorf("error %q does not say another omsd is using the spool", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("second Open took %v", d)
	}
}

func TestMakeJobDir(t *testing.T) {
	s := newStore(t)
	want := filepath.Join(s.Dir(), "jobs", "42")
	if got := s.JobDir(42); got != want {
		t.Errorf("JobDir(42) = %q, want %q", got, want)
	}
	if _, err := os.Stat(want); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("JobDir created the directory (stat: %v)", err)
	}
	for range 2 { // the second call finds it there
		dir, err := s.MakeJobDir(42)
		if err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(dir)
		if err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 || dir != want {
			t.Fatalf("MakeJobDir = %q (%v, %v), want a 0700 directory %q", dir, fi, err, want)
		}
	}
	if _, err := s.MakeJobDir(0); !errors.Is(err, ErrInvalid) {
		t.Errorf("MakeJobDir(0) error = %v, want ErrInvalid", err)
	}
	if err := os.WriteFile(s.JobDir(7), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MakeJobDir(7); err == nil {
		t.Error("MakeJobDir over a regular file succeeded")
	}
}
