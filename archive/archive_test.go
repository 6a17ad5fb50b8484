package archive

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/archive/index"
)

var t0 = time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC)

func open(t *testing.T, dir string) *Service {
	t.Helper()
	s, err := Open(context.Background(), Options{Dir: dir, Log: zerolog.Nop(), Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// pieces are n pieces of job, with accounts, postcodes and names.
func pieces(job int64, n int, retain time.Duration) []Piece {
	names := []string{"Anna Weiß", "Jörg Müller", "Zoë Dupont", "Hans Strauß"}
	var ps []Piece
	for i := 1; i <= n; i++ {
		r := Record{ID: ID(job, i, 0), Job: job, Seq: i, Workflow: "letters", Channel: "print", Printer: "p1", Format: "pdf",
			Sent: t0, RetainUntil: t0.Add(retain),
			Fields: map[string]string{"account": fmt.Sprintf("A%04d", i), "postcode": fmt.Sprintf("%05d", 10000*i)},
			Text:   []string{names[i%len(names)], fmt.Sprintf("Hauptstraße %d", i)}}
		ps = append(ps, Piece{Record: r, Data: bytes.Repeat(fmt.Appendf(nil, "piece %d of job %d\n", i, job), 100)})
	}
	return ps
}

func ids(recs []Record) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.ID)
	}
	return out
}

func search(t *testing.T, s *Service, conds ...string) []string {
	t.Helper()
	var q index.Query
	for _, c := range conds {
		cond, err := index.ParseCond(c)
		if err != nil {
			t.Fatal(err)
		}
		q.Conds = append(q.Conds, cond)
	}
	recs, err := s.Search(q, "tester")
	if err != nil {
		t.Fatal(err)
	}
	return ids(recs)
}

func TestArchiveSearchGetReindex(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	defer func() { s.Close() }()
	ctx := context.Background()
	ps := pieces(7, 4, time.Hour)
	if err := s.Archive(ctx, "j7-main", ps); err != nil {
		t.Fatal(err)
	}
	if err := s.Archive(ctx, "j7-main", ps); err != nil { // once per generation
		t.Fatal(err)
	}
	if n := len(s.ledger.entries); n != 1 {
		t.Fatalf("ledger has %d entries after archiving the same pieces twice, want 1", n)
	}
	for _, p := range ps {
		data, r, err := s.Get(ctx, p.Record.ID, "tester")
		if err != nil || !bytes.Equal(data, p.Data) || r.SHA256 != digest(p.Data) {
			t.Fatalf("get %s: %v, identical %v", p.Record.ID, err, bytes.Equal(data, p.Data))
		}
	}
	queries := [][]string{
		{"account=A0002"}, {"postcode=20000..30000"}, {"account=A000*"}, {"text=weiss"}, {"text=WEISS"},
		{"text=HAUPTSTRASSE"}, {"text=muller jorg"}, {"name~zoe"}, {"job=7", "postcode=40000"},
	}
	want := [][]string{
		{"7-2-0"}, {"7-2-0", "7-3-0"}, {"7-1-0", "7-2-0", "7-3-0", "7-4-0"}, {"7-4-0"}, {"7-4-0"},
		{"7-1-0", "7-2-0", "7-3-0", "7-4-0"}, {"7-1-0"}, {"7-2-0"}, {"7-4-0"},
	}
	var before [][]string
	for i, q := range queries {
		got := search(t, s, q...)
		if !slices.Equal(got, want[i]) {
			t.Errorf("search %v = %v, want %v", q, got, want[i])
		}
		before = append(before, got)
	}
	if _, err := s.Reindex(ctx); err != nil {
		t.Fatal(err)
	}
	for i, q := range queries {
		if got := search(t, s, q...); !slices.Equal(got, before[i]) {
			t.Errorf("after reindex, search %v = %v, want %v", q, got, before[i])
		}
	}
	// An index lost altogether is rebuilt from the ledger at the next start.
	s.Close()
	os.Remove(filepath.Join(dir, "index.db"))
	s = open(t, dir)
	if got := search(t, s, "text=weiss"); !slices.Equal(got, []string{"7-4-0"}) {
		t.Errorf("after losing the index, search = %v", got)
	}
}

func TestExpireKeepsHeldSegments(t *testing.T) {
	s := open(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	for job := int64(1); job <= 3; job++ {
		if err := s.Archive(ctx, fmt.Sprintf("j%d", job), pieces(job, 2, time.Duration(job)*24*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.PlaceHold("audit-2026", "tax audit", "tester", nil, []string{"1-2-0"}); err != nil {
		t.Fatal(err)
	}
	// Day 2.5: jobs 1 and 2 are past retention; job 1 is held.
	res, err := s.Expire(ctx, t0.Add(60*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Deleted) != 1 || res.Deleted[0].Pieces[0] != "2-1-0" || len(res.Kept) != 1 || res.Kept[0].Held[0] != "1-2-0" {
		t.Fatalf("expiry: %+v", res)
	}
	if _, _, err := s.Get(ctx, "2-1-0", "tester"); err == nil {
		t.Error("an expired piece is still found")
	}
	if _, _, err := s.Get(ctx, "1-1-0", "tester"); err != nil {
		t.Errorf("a piece of a held segment: %v", err)
	}
	if _, err := s.ReleaseHold("audit-2026", "tester"); err != nil {
		t.Fatal(err)
	}
	if res, _ := s.Expire(ctx, t0.Add(60*time.Hour)); len(res.Deleted) != 1 || res.Deleted[0].Pieces[0] != "1-1-0" {
		t.Fatalf("expiry after release: %+v", res)
	}
	v, err := s.Verify(ctx)
	if err != nil || len(v.Problems) != 0 || v.Segments != 1 {
		t.Fatalf("verify after expiry: %+v %v", v, err)
	}
	if n := len(s.ledger.entries); n != 5 {
		t.Errorf("ledger has %d entries, want 3 added and 2 deleted", n)
	}
}

func TestVerifyNamesAFlippedByte(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	defer s.Close()
	ctx := context.Background()
	for job := int64(1); job <= 2; job++ {
		if err := s.Archive(ctx, "x", pieces(job, 3, time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if v, err := s.Verify(ctx); err != nil || len(v.Problems) != 0 || v.Pieces != 6 {
		t.Fatalf("verify of a sound archive: %+v %v", v, err)
	}
	r, _ := s.Record("2-2-0")
	path := filepath.Join(dir, "segments", r.Segment+segExt)
	os.Chmod(path, 0o644)
	b, _ := os.ReadFile(path)
	b[r.Offset+r.Length/2] ^= 0x01
	os.WriteFile(path, b, 0o644)
	v, err := s.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var named bool
	for _, p := range v.Problems {
		named = named || p.Segment == r.Segment
		if p.Segment != r.Segment {
			t.Errorf("verify blames a sound segment: %+v", p)
		}
	}
	if !named {
		t.Fatalf("verify missed the flipped byte: %+v", v)
	}
	if _, _, err := s.Get(ctx, "2-2-0", "tester"); err == nil {
		t.Error("get returned a damaged piece")
	}
}

func TestOpenAdoptsASegmentTheLedgerMissed(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	ctx := context.Background()
	if err := s.Archive(ctx, "a", pieces(1, 2, time.Hour)); err != nil {
		t.Fatal(err)
	}
	// A crash after the segment's Put and before its ledger line.
	seg := buildSegment("20260303T100000.000000000Z-000002-b", pieces(2, 2, time.Hour)).seg
	if err := s.store.Put(ctx, "20260303T100000.000000000Z-000002-b", seg); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, dir)
	defer s.Close()
	if missing, _ := s.Missing(ctx, []string{"1-1-0", "2-1-0", "2-2-0"}); len(missing) != 0 {
		t.Fatalf("missing after adoption: %v", missing)
	}
	if err := s.Archive(ctx, "b", pieces(2, 2, time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n := len(s.ledger.entries); n != 2 {
		t.Errorf("ledger has %d entries, want 2 (no piece twice)", n)
	}
	if v, _ := s.Verify(ctx); len(v.Problems) != 0 {
		t.Errorf("verify: %+v", v.Problems)
	}
}

// TestOpenDropsACutOffLedgerLine: a ledger line a crash cut short was
// never acknowledged; Open drops it and the chain goes on.
func TestOpenDropsACutOffLedgerLine(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	ctx := context.Background()
	if err := s.Archive(ctx, "a", pieces(1, 2, time.Hour)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	f, _ := os.OpenFile(filepath.Join(dir, "ledger.jsonl"), os.O_APPEND|os.O_WRONLY, 0o644)
	f.WriteString(`{"n":2,"op":"add","segm`)
	f.Close()
	s = open(t, dir)
	defer s.Close()
	if err := s.Archive(ctx, "b", pieces(2, 2, time.Hour)); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Verify(ctx); err != nil || len(v.Problems) != 0 || v.Entries != 2 || v.Pieces != 4 {
		t.Fatalf("verify: %+v %v", v, err)
	}
}

// TestOpenFinishesALoggedDeletion: expiry logs a deletion before it
// deletes; a crash in between leaves the segment, which Open deletes.
func TestOpenFinishesALoggedDeletion(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	ctx := context.Background()
	if err := s.Archive(ctx, "a", pieces(1, 2, time.Hour)); err != nil {
		t.Fatal(err)
	}
	name := s.ledger.entries[0].Segment
	if _, err := s.ledger.append(Entry{Op: opDelete, Segment: name, Pieces: 2, Time: t0}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, dir)
	defer s.Close()
	if names, _ := s.store.List(ctx); len(names) != 0 {
		t.Fatalf("segments left after the logged deletion: %v", names)
	}
	if missing, _ := s.Missing(ctx, []string{"1-1-0"}); len(missing) != 1 {
		t.Error("the deleted segment's pieces are still indexed")
	}
	if v, _ := s.Verify(ctx); len(v.Problems) != 0 {
		t.Errorf("verify: %+v", v.Problems)
	}
}

// After a power loss or a system crash the index may be damaged: a marker
// left by another boot makes the archive rebuild it from its segments.
func TestOpenRebuildsAnIndexASystemCrashLeftUnsynced(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	ps := pieces(5, 3, time.Hour)
	if err := s.Archive(context.Background(), "j5", ps); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// A damaged file, and the marker of a boot that is gone.
	if err := os.WriteFile(filepath.Join(dir, "index.db"), []byte("torn pages"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index.db.unsynced"), []byte("a-boot-before-the-crash"), 0o600); err != nil {
		t.Fatal(err)
	}
	s = open(t, dir)
	defer s.Close()
	if got := search(t, s, "job=5"); !slices.Equal(got, []string{"5-1-0", "5-2-0", "5-3-0"}) {
		t.Fatalf("after a system crash, search = %v", got)
	}
}
