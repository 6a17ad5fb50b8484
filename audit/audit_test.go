package audit

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestRecordAndRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit", "audit.log")
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user := "alice"
			if i%2 == 1 {
				user = "bob"
			}
			if err := l.Record(Entry{Time: t0.Add(time.Duration(i) * time.Minute), User: user, Action: "job.cancel", Target: "job 1"}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	l.Close()
	all, err := Read(path, Filter{})
	if err != nil || len(all) != 20 {
		t.Fatalf("read %d entries, %v", len(all), err)
	}
	for _, e := range all {
		if e.Result != "ok" {
			t.Errorf("result %q", e.Result)
		}
	}
	bob, _ := Read(path, Filter{User: "bob", Since: t0.Add(10 * time.Minute)})
	if len(bob) != 5 {
		t.Errorf("bob since 08:10: %d entries, want 5", len(bob))
	}
	last, _ := Read(path, Filter{Limit: 3})
	if len(last) != 3 {
		t.Errorf("limit 3: %d", len(last))
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode().Perm())
	}
}

func TestReadSkipsALineCutShort(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	l, _ := Open(path)
	l.Record(Entry{User: "alice", Action: "login"})
	l.Close()
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString(`{"time":"2026-12-05T08:00:00Z","user":"bo`)
	f.Close()
	l, _ = Open(path)
	l.Record(Entry{User: "carol", Action: "login"})
	l.Close()
	got, err := Read(path, Filter{})
	if err != nil || len(got) != 2 || got[0].User != "alice" || got[1].User != "carol" {
		t.Fatalf("%+v %v", got, err)
	}
}
