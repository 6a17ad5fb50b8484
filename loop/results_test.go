package loop

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/intake/hotfolder"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/records"
	"github.com/omsd/omsd/spool"
)

// loopDaemon opens a daemon with line L1 taking CSV result files, and a
// completed job 1 of three pieces.
func loopDaemon(t *testing.T) (*Service, config.Line) {
	t.Helper()
	cfg := testConfig(t)
	csv, err := records.Builtin("csv")
	if err != nil {
		t.Fatal(err)
	}
	line := config.Line{Name: "L1", ResultDir: "res", ErrorDir: "res/error", DoneDir: "res/done", Result: csv}
	cfg.Lines = []config.Line{line}
	d, err := open(cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.store.Close() })
	j, err := d.store.CreateJob(spool.Job{Name: "run.pdf", Workflow: "default", Printer: "file", State: spool.Completed, Pieces: 3})
	if err == nil {
		err = d.store.SetPieces(j.ID, []spool.Piece{{Seq: 1, Pages: 1, Sheets: 1}, {Seq: 2, Pages: 1, Sheets: 1}, {Seq: 3, Pages: 1, Sheets: 1}})
	}
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(cfg.Path("res"), 0o755)
	return d, line
}

func offer(t *testing.T, d *Service, line config.Line, name, content string) {
	t.Helper()
	path := filepath.Join(d.cfg.Path(line.ResultDir), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := d.takeResults(context.Background(), line, hotfolder.Arrival{Path: path}); err != nil {
		t.Fatal(err)
	}
}

func TestResultsCSV(t *testing.T) {
	d, line := loopDaemon(t)
	offer(t, d, line, "bad.csv", "job,piece,result\n1,1,inserted\n")
	var rep resultReport
	b, err := os.ReadFile(d.cfg.Path("res/error/bad.csv.error.json"))
	if err != nil || json.Unmarshal(b, &rep) != nil || len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0], `lacks column "disposition"`) {
		t.Fatalf("a file without its header's columns: %s, %v", b, err)
	}
	good := "job,piece,disposition,time,operator,line\n1,1,inserted,2026-12-03 09:00:00,op,L1\n1,2,diverted,,,\n1,3,inserted,,,\n"
	offer(t, d, line, "good.csv", good)
	if _, err := os.Stat(d.cfg.Path("res/done/good.csv")); err != nil {
		t.Fatalf("good file not in done: %v", err)
	}
	// The same bytes again are not applied twice.
	offer(t, d, line, "again.csv", good)
	tracks, _ := d.store.Tracks(1)
	if len(tracks[1]) != 2 || tracks[1][0].Operator != "op" || tracks[2][0].Kind != spool.TrackDiverted || tracks[2][0].Time.IsZero() || tracks[3][1].Kind != spool.TrackClosed {
		t.Fatalf("tracks %+v", tracks)
	}
	j, _ := d.store.Job(1)
	if j.Loop == nil || j.Loop.State != spool.LoopClosed {
		t.Fatalf("loop %+v", j.Loop)
	}
}

// TestExpireTracks removes the histories of runs closed before the cutoff
// and keeps open runs and recent ones.
func TestExpireTracks(t *testing.T) {
	d, line := loopDaemon(t)
	offer(t, d, line, "good.csv", "job,piece,disposition\n1,1,inserted\n1,2,inserted\n1,3,inserted\n")
	openRun, _ := d.store.CreateJob(spool.Job{Name: "open.pdf", State: spool.Completed, Loop: &spool.Loop{State: spool.LoopOpen}})
	d.store.AddTrackEvents([]spool.TrackEntry{{Root: openRun.ID, Seq: 1, Event: spool.PieceEvent{Kind: spool.TrackPrinted}}})
	j, _ := d.store.Job(1)
	d.expireTracks(j.Loop.Closed.Add(-time.Hour))
	if tr, _ := d.store.Tracks(1); len(tr) != 3 {
		t.Fatalf("a run closed after the cutoff lost its histories: %d", len(tr))
	}
	d.expireTracks(j.Loop.Closed.Add(time.Hour))
	if tr, _ := d.store.Tracks(1); len(tr) != 0 {
		t.Errorf("histories of a run closed before the cutoff kept: %d", len(tr))
	}
	if tr, _ := d.store.Tracks(openRun.ID); len(tr) != 1 {
		t.Errorf("an open run lost its histories")
	}
}

// TestResultsByEnvelope: a result names a mail piece (the envelope ID the
// manifest and the marks carry), and applies to every letter in it; with
// a result layout of unit piece it names one letter.
func TestResultsByEnvelope(t *testing.T) {
	d, line := loopDaemon(t)
	env := func(n int) *mailpiece.Placement {
		return mailpiece.Place(n, &mailpiece.EnvelopeClass{Product: "Standardbrief", Price: "0.95"})
	}
	// Letters 1 and 3 share envelope 2 (the household), letter 2 is envelope 1.
	if err := d.store.SetPieces(1, []spool.Piece{{Seq: 1, Pages: 1, Sheets: 1, Placement: env(2)}, {Seq: 2, Pages: 1, Sheets: 1, Placement: env(1)}, {Seq: 3, Pages: 1, Sheets: 1, Placement: env(2)}}); err != nil {
		t.Fatal(err)
	}
	offer(t, d, line, "a.csv", "job,piece,disposition\n1,2,damaged\n1,9,inserted\n")
	tracks, _ := d.store.Tracks(1)
	if len(tracks[1]) != 1 || len(tracks[3]) != 1 || len(tracks[2]) != 0 || tracks[1][0].Kind != spool.TrackDamaged || tracks[3][0].Detail != "code damaged, envelope 2" {
		t.Fatalf("envelope 2 damaged: tracks %+v", tracks)
	}
	b, _ := os.ReadFile(d.cfg.Path("res/error/a.csv.error.json"))
	if !strings.Contains(string(b), "job 1 has no envelope 9") {
		t.Errorf("unknown envelope: %s", b)
	}
	perLetter := *line.Result
	perLetter.Unit = records.UnitPiece
	line.Result = &perLetter
	offer(t, d, line, "b.csv", "job,piece,disposition\n1,2,inserted\n")
	tracks, _ = d.store.Tracks(1)
	if len(tracks[2]) != 1 || len(tracks[1]) != 1 || len(tracks[3]) != 1 {
		t.Fatalf("letter 2 inserted (unit piece): tracks %+v", tracks)
	}
}
