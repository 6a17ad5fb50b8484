package inserter

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/meta"
	"github.com/omsd/omsd/records"
)

func layout(t *testing.T, name string) *records.Layout {
	t.Helper()
	l, err := records.Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// plannedOutput is two envelopes of a planned run: a household of pieces
// 3 and 5 in a C6/5 with a flyer from station 2, and piece 4 diverted.
func plannedOutput() Manifest {
	return Manifest{
		Job: 7, JobName: "run.pdf", Output: "main.2", Generation: 1,
		Created: time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC),
		Pieces: []Piece{
			{Seq: 3, Pages: 2, Sheets: 1, Envelope: 1, EnvelopeType: "C6/5", Stations: []int{2}, Address: []string{"Hauptstr. 1", "04109 Leipzig"}, PostalCode: "04109", Meta: meta.FromMap(map[string]string{"name": "Erika Mustermann", "customer_id": "C0003"})},
			{Seq: 5, Pages: 1, Sheets: 1, Envelope: 1, EnvelopeType: "C6/5", Stations: []int{2}, PostalCode: "04109", Meta: meta.FromMap(map[string]string{"customer_id": "C0003"})},
			{Seq: 4, Pages: 6, Sheets: 3, Envelope: 2, EnvelopeType: "C4", PostalCode: "10115", Divert: true},
		},
	}
}

func encode(t *testing.T, name string, m Manifest) []string {
	t.Helper()
	var buf bytes.Buffer
	if err := Encode(&buf, layout(t, name), m); err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
}

// col returns the 1-based columns start..start+n-1 of a line.
func col(line string, start, n int) string { return string([]rune(line)[start-1 : start-1+n]) }

// TestManifestJAF: one body line per envelope (mail piece): the household
// envelope of letters 3 and 5 is one line with MailPieceId 1, its three
// sheets as prime documents, the feeders once, and both letters' ids.
func TestManifestJAF(t *testing.T) {
	lines := encode(t, "jaf", plannedOutput())
	if len(lines) != 3 {
		t.Fatalf("%d lines, want a header and 2 bodies (one per envelope):\n%s", len(lines), strings.Join(lines, "\n"))
	}
	if got := col(lines[0], 1, 30); got != "H00000000072026-12-03 08:00:00" {
		t.Errorf("header %q", got)
	}
	body := lines[1]
	for _, c := range []struct {
		start, n int
		want     string
	}{
		{1, 1, "B"}, {2, 10, "0000000007"}, {12, 10, "0000000001"}, {54, 3, "002"},
		{57, 16, "0100000000000000"}, {85, 16, "Erika Mustermann"}, {135, 11, "Hauptstr. 1"},
		{185, 13, "04109 Leipzig"}, {385, 5, "04109"}, {435, 1, "0"}, {485, 4, "C6/5"}, {535, 1, "1"}, {585, 2, "1 "},
		{635, 2, "2 "}, {685, 4, "3 5 "},
	} {
		if got := col(body, c.start, c.n); got != c.want {
			t.Errorf("body column %d: %q, want %q", c.start, got, c.want)
		}
	}
	if got := col(lines[2], 12, 10); got != "0000000002" || col(lines[2], 54, 3) != "003" || col(lines[2], 435, 1) != "1" ||
		col(lines[2], 57, 16) != strings.Repeat("0", 16) || col(lines[2], 685, 2) != "4 " {
		t.Errorf("diverted envelope line: %q", lines[2][:80])
	}
}

// TestManifestPerLetter: a layout of unit piece writes one record per
// letter, each its own piece id, only the envelope's first letter firing
// the feeders.
func TestManifestPerLetter(t *testing.T) {
	l := layout(t, "jaf")
	perLetter := *l
	perLetter.Unit = records.UnitPiece
	var buf bytes.Buffer
	if err := Encode(&buf, &perLetter, plannedOutput()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines, want a header and 3 letters", len(lines))
	}
	for i, want := range []struct{ id, sheets, feeders, envelope string }{
		{"0000000003", "001", "0100000000000000", "1 "}, {"0000000005", "001", strings.Repeat("0", 16), "1 "}, {"0000000004", "003", strings.Repeat("0", 16), "2 "},
	} {
		b := lines[i+1]
		if col(b, 12, 10) != want.id || col(b, 54, 3) != want.sheets || col(b, 57, 16) != want.feeders || col(b, 585, 2) != want.envelope {
			t.Errorf("letter %d: %q", i+1, b[:80])
		}
	}
}

func TestManifestMRDF(t *testing.T) {
	lines := encode(t, "mrdf", plannedOutput())
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2 (one per envelope)", len(lines))
	}
	for _, l := range lines {
		if n := len([]rune(l)); n != 701 {
			t.Fatalf("record of %d characters, want 701", n)
		}
	}
	first, second := lines[0], lines[1]
	for _, c := range []struct {
		line     string
		start, n int
		want     string
	}{
		{first, 1, 5, "00007"}, {first, 6, 6, "000001"}, {first, 12, 2, "02"}, {first, 14, 9, "100000000"},
		{first, 27, 1, "0"}, {first, 70, 11, "Hauptstr. 1"}, {first, 310, 5, "04109"}, {first, 321, 4, "C6/5"},
		{first, 341, 3, "001"}, {first, 344, 10, "0000000001"}, {first, 354, 3, "002"}, {first, 357, 4, "3 5 "},
		{second, 344, 10, "0000000002"}, {second, 6, 6, "000002"}, {second, 12, 2, "03"}, {second, 27, 1, "1"}, {second, 357, 2, "4 "},
	} {
		if got := col(c.line, c.start, c.n); got != c.want {
			t.Errorf("column %d: %q, want %q", c.start, got, c.want)
		}
	}
	// What the line reads back is what was planned.
	r := records.NewReader(strings.NewReader(strings.Join(lines, "\n")+"\n"), layout(t, "mrdf"))
	rec, err := r.Read()
	if err != nil || rec.Fields["piece"] != "1" || rec.Fields["pages"] != "2" || rec.Fields["envelope"] != "C6/5" || rec.Fields["letter_ids"] != "3 5" {
		t.Fatalf("read back %+v, %v", rec.Fields, err)
	}
}

// TestManifestNoRoomForIDs: letter ids that do not fit their field are
// left out, the count of letters stays.
func TestManifestNoRoomForIDs(t *testing.T) {
	m := plannedOutput()
	m.Pieces = nil
	for i := range 40 {
		m.Pieces = append(m.Pieces, Piece{Seq: 100000 + i, Pages: 1, Sheets: 1, Envelope: 9})
	}
	lines := encode(t, "jaf", m)
	if len(lines) != 2 || col(lines[1], 635, 3) != "40 " || strings.TrimSpace(col(lines[1], 685, 200)) != "" || col(lines[1], 54, 3) != "040" {
		t.Errorf("40 letters: %q", lines[1][630:700])
	}
	m.Pieces = m.Pieces[:2]
	if lines := encode(t, "jaf", m); col(lines[1], 685, 14) != "100000 100001 " {
		t.Errorf("2 letters: %q", lines[1][680:700])
	}
}

func TestManifestBadStation(t *testing.T) {
	m := plannedOutput()
	m.Pieces[0].Stations = []int{17}
	if err := Encode(&bytes.Buffer{}, layout(t, "jaf"), m); !errors.Is(err, ErrManifest) {
		t.Fatalf("station 17: %v", err)
	}
}

func TestWriteAtomic(t *testing.T) {
	dir := t.TempDir()
	l := layout(t, "jaf")
	m := plannedOutput()
	path, err := Write(dir, l, m)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != "job000007-main.2-r1.jaf" {
		t.Errorf("name %s", filepath.Base(path))
	}
	good, _ := os.ReadFile(path)
	// A manifest that cannot be encoded (a job id wider than the field)
	// leaves the one in place untouched and no temporary file behind.
	bad := m
	bad.Job = 12345678901
	bad.Pieces = nil
	bad.Output, bad.Generation = "main.2", 1
	if _, err := Write(dir, l, bad); err == nil {
		t.Fatal("an 11-digit job id was written into a 10-digit field")
	}
	// Rewriting replaces the file whole.
	m.Pieces = m.Pieces[:1]
	if _, err := Write(dir, l, m); err != nil {
		t.Fatal(err)
	}
	now, _ := os.ReadFile(path)
	if bytes.Equal(now, good) || strings.Count(string(now), "\n") != 2 {
		t.Errorf("rewritten manifest has %d lines", strings.Count(string(now), "\n"))
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("folder holds %v, want only the manifest", names)
	}
}
