package intake

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/intake/hotfolder"
	"github.com/omsd/omsd/spool"
)

// intakeFixture is a daemon (not serving) over a fresh state directory with
// one hot folder.
type intakeFixture struct {
	t   *testing.T
	d   *Service
	hot string
}

func newIntakeFixture(t *testing.T) *intakeFixture {
	t.Helper()
	cfg := testConfig(t)
	hot := cfg.Path(cfg.HotFolders[0].Dir)
	if err := os.MkdirAll(hot, 0o755); err != nil {
		t.Fatal(err)
	}
	d, err := open(cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.store.Close() })
	return &intakeFixture{t: t, d: d, hot: hot}
}

// across makes renames into the spool fail with EXDEV for the test, as
// between two filesystems, so that intake copies.
func (x *intakeFixture) across() {
	rename := x.d.files.rename
	x.d.files.rename = func(src, dst string) error {
		if filepath.Base(filepath.Dir(filepath.Dir(dst))) == "jobs" {
			return &os.LinkError{Op: "rename", Old: src, New: dst, Err: syscall.EXDEV}
		}
		return rename(src, dst)
	}
}

// drop writes a file into the hot folder and returns its path.
func (x *intakeFixture) drop(name, data string) string {
	x.t.Helper()
	p := filepath.Join(x.hot, name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		x.t.Fatal(err)
	}
	return p
}

// incomingJob stores an incoming job for the hot-folder file name with the
// journal of that file as it is now, then lets edit change journal and disk
// as a crash at some step would have left them.
func (x *intakeFixture) incomingJob(name string, edit func(in *spool.Intake, dir string)) spool.Job {
	x.t.Helper()
	a := hotfolder.Arrival{Path: filepath.Join(x.hot, name), Workflow: "default"}
	in, err := newIntake(a, "input.pdf", "")
	if err != nil {
		x.t.Fatal(err)
	}
	j, err := x.d.store.CreateJob(spool.Job{
		Name: name, Workflow: "default", Printer: "file", State: spool.Pending,
		StateReasons: []string{reasonIncoming}, Source: x.hot, Input: "input.pdf", Intake: in,
	})
	if err != nil {
		x.t.Fatal(err)
	}
	dir, err := x.d.store.MakeJobDir(j.ID)
	if err != nil {
		x.t.Fatal(err)
	}
	if edit != nil {
		edit(in, dir)
		j, err = x.d.store.UpdateJob(j.ID, func(j *spool.Job) error { j.Intake = in; return nil })
		if err != nil {
			x.t.Fatal(err)
		}
	}
	return j
}

func (x *intakeFixture) job(id int64) spool.Job {
	x.t.Helper()
	j, err := x.d.store.Job(id)
	if err != nil {
		x.t.Fatal(err)
	}
	return j
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

func sha(t *testing.T, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "f")
	writeFile(t, p, data)
	s, err := hashFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestRecoverIntakeSteps crashes intake at every step (by leaving journal and
// disk as the crash would) and checks what recovery makes of it: the file
// ends in its job exactly once, the source is removed only once its copy is
// verified, and a file that is not the recorded one is left alone.
func TestRecoverIntakeSteps(t *testing.T) {
	const body = "%PDF-1.4 the recorded file"
	tests := []struct {
		name      string
		across    bool
		crash     func(t *testing.T, x *intakeFixture, src string, in *spool.Intake, dir string)
		state     spool.State
		srcLeft   string // content left at the source path; "" = none
		dstWant   string // content of the job's input; "" = none
		wantSHA   bool
		otherLeft bool
	}{
		{name: "rename: recorded, nothing moved", state: spool.Pending, dstWant: body},
		{name: "rename: renamed, directories not synced", state: spool.Pending, dstWant: body,
			crash: func(t *testing.T, x *intakeFixture, src string, in *spool.Intake, dir string) {
				if err := os.Rename(src, filepath.Join(dir, "input.pdf")); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "copy: recorded, nothing copied", across: true, state: spool.Pending, dstWant: body, wantSHA: true},
		{name: "copy: partial temp file", across: true, state: spool.Pending, dstWant: body, wantSHA: true,
			crash: func(t *testing.T, x *intakeFixture, src string, in *spool.Intake, dir string) {
				writeFile(t, filepath.Join(dir, ".input.pdf.tmp-123456"), body[:5])
			}},
		{name: "copy: copied, hash not journaled", across: true, state: spool.Pending, dstWant: body, wantSHA: true,
			crash: func(t *testing.T, x *intakeFixture, src string, in *spool.Intake, dir string) {
				writeFile(t, filepath.Join(dir, "input.pdf"), body[:7]+"garbage")
			}},
		{name: "copy: copied, hash not journaled, source removed by hand", across: true, state: spool.Pending, dstWant: body, wantSHA: true,
			crash: func(t *testing.T, x *intakeFixture, src string, in *spool.Intake, dir string) {
				writeFile(t, filepath.Join(dir, "input.pdf"), body)
				os.Remove(src)
			}},
		{name: "copy: journaled, source not removed", across: true, state: spool.Pending, dstWant: body, wantSHA: true,
			crash: func(t *testing.T, x *intakeFixture, src string, in *spool.Intake, dir string) {
				writeFile(t, filepath.Join(dir, "input.pdf"), body)
				in.Files[0].Step, in.Files[0].SHA256 = spool.IntakeCopied, sha(t, body)
			}},
		{name: "copy: journaled, source removed", across: true, state: spool.Pending, dstWant: body, wantSHA: true,
			crash: func(t *testing.T, x *intakeFixture, src string, in *spool.Intake, dir string) {
				writeFile(t, filepath.Join(dir, "input.pdf"), body)
				in.Files[0].Step, in.Files[0].SHA256 = spool.IntakeCopied, sha(t, body)
				os.Remove(src)
			}},
		{name: "copy: journaled, copy damaged, source there", across: true, state: spool.Pending, dstWant: body, wantSHA: true,
			crash: func(t *testing.T, x *intakeFixture, src string, in *spool.Intake, dir string) {
				writeFile(t, filepath.Join(dir, "input.pdf"), "%PDF-1.4 the recorded fil!")
				in.Files[0].Step, in.Files[0].SHA256 = spool.IntakeCopied, sha(t, body)
			}},
		{name: "copy: journaled, source replaced by another file", across: true, state: spool.Pending, dstWant: body, wantSHA: true,
			srcLeft: "%PDF-1.4 a new file of the same name", otherLeft: true,
			crash: func(t *testing.T, x *intakeFixture, src string, in *spool.Intake, dir string) {
				writeFile(t, filepath.Join(dir, "input.pdf"), body)
				in.Files[0].Step, in.Files[0].SHA256 = spool.IntakeCopied, sha(t, body)
				os.Remove(src)
				x.drop(filepath.Base(src), "%PDF-1.4 a new file of the same name")
			}},
		{name: "recorded, source replaced before it was taken", state: spool.Aborted,
			srcLeft: "%PDF-1.4 another", otherLeft: true,
			crash: func(t *testing.T, x *intakeFixture, src string, in *spool.Intake, dir string) {
				os.Remove(src)
				x.drop(filepath.Base(src), "%PDF-1.4 another")
			}},
		{name: "recorded, source gone", state: spool.Aborted,
			crash: func(t *testing.T, x *intakeFixture, src string, in *spool.Intake, dir string) {
				os.Remove(src)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newIntakeFixture(t)
			if tt.across {
				x.across()
			}
			src := x.drop("a.pdf", body)
			x.drop("a.pdf.done", "")
			j := x.incomingJob("a.pdf", func(in *spool.Intake, dir string) {
				in.DoneFile = spool.Path(src + ".done")
				if tt.crash != nil {
					tt.crash(t, x, src, in, dir)
				}
			})
			if err := x.d.recover(); err != nil {
				t.Fatal(err)
			}
			j = x.job(j.ID)
			if j.State != tt.state || incoming(j) {
				t.Errorf("job is %s %v (%s); want %s, not incoming", j.State, j.StateReasons, j.Message, tt.state)
			}
			got, err := os.ReadFile(filepath.Join(x.d.store.JobDir(j.ID), "input.pdf"))
			if string(got) != tt.dstWant || (tt.dstWant == "") != errors.Is(err, os.ErrNotExist) {
				t.Errorf("job input = %q (%v); want %q", got, err, tt.dstWant)
			}
			left, err := os.ReadFile(src)
			if string(left) != tt.srcLeft || (tt.srcLeft == "") != errors.Is(err, os.ErrNotExist) {
				t.Errorf("hot folder holds %q (%v); want %q", left, err, tt.srcLeft)
			}
			if tt.state == spool.Pending {
				f := j.Intake.Files[0]
				if f.Step != spool.IntakeMoved || (f.SHA256 == sha(t, body)) != tt.wantSHA {
					t.Errorf("journal: %+v; want moved, sha256 stored %v", f, tt.wantSHA)
				}
				if fileExists(src + ".done") {
					t.Error("the done-file is still in the hot folder")
				}
			}
			ents, _ := os.ReadDir(x.d.store.JobDir(j.ID))
			for _, e := range ents {
				if e.Name() != "input.pdf" {
					t.Errorf("job directory holds %s", e.Name())
				}
			}
			if jobs, _ := x.d.store.Jobs(); len(jobs) != 1 {
				t.Errorf("%d jobs; want 1", len(jobs))
			}
			if _, ok := x.d.intakes.lookup(src); ok {
				t.Error("the job is still indexed as incoming")
			}
		})
	}
}

// TestIntakeSourceRemovalFails makes the removal of a copied source fail:
// the job stays incoming, and the file offered again continues that job
// instead of becoming a second one.
func TestIntakeSourceRemovalFails(t *testing.T) {
	x := newIntakeFixture(t)
	x.across()
	src := x.drop("b.pdf", "%PDF-1.4 b")
	failing := errors.New("injected: read-only folder")
	x.d.files.remove = func(string) error { return failing }
	a := hotfolder.Arrival{Path: src, Workflow: "default"}
	if err := x.d.takeArrival(context.Background(), a); !errors.Is(err, failing) {
		t.Fatalf("takeArrival = %v; want the removal error", err)
	}
	jobs, _ := x.d.store.Jobs()
	if len(jobs) != 1 || !incoming(jobs[0]) || jobs[0].Intake.Files[0].Step != spool.IntakeCopied {
		t.Fatalf("after the failed removal: %+v", jobs)
	}
	// Offered again while the removal still fails: no new job.
	if err := x.d.takeArrival(context.Background(), a); !errors.Is(err, failing) {
		t.Fatalf("second takeArrival = %v; want the removal error", err)
	}
	x.d.files.remove = os.Remove
	if err := x.d.takeArrival(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	jobs, _ = x.d.store.Jobs()
	if len(jobs) != 1 || incoming(jobs[0]) || jobs[0].State != spool.Pending {
		t.Fatalf("after the removal works: %d jobs, first %+v", len(jobs), jobs[0])
	}
	if fileExists(src) {
		t.Error("the source is still in the hot folder")
	}
}

// TestIntakeSourceRemovalFailsRestart is the same across a restart: the
// incoming job is found again and the file is not taken a second time.
func TestIntakeSourceRemovalFailsRestart(t *testing.T) {
	x := newIntakeFixture(t)
	x.across()
	src := x.drop("c.pdf", "%PDF-1.4 c")
	x.d.files.remove = func(string) error { return errors.New("injected") }
	a := hotfolder.Arrival{Path: src, Workflow: "default"}
	x.d.takeArrival(context.Background(), a)
	x.d.store.Close()
	d, err := open(x.d.cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	d.files = x.d.files // the same hot folder after the restart
	x.d = d
	if err := d.recover(); err != nil { // the removal still fails
		t.Fatal(err)
	}
	if err := d.takeArrival(context.Background(), a); err == nil {
		t.Fatal("takeArrival succeeded while the removal fails")
	}
	d.files.remove = os.Remove
	if err := d.takeArrival(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	jobs, _ := d.store.Jobs()
	if len(jobs) != 1 || incoming(jobs[0]) || fileExists(src) {
		t.Fatalf("%d jobs (%+v); source left: %v", len(jobs), jobs, fileExists(src))
	}
}

// TestIntakeCopyJournal checks a fresh intake across filesystems: the job
// holds the source's identity and the copy's SHA-256, with a sidecar.
func TestIntakeCopyJournal(t *testing.T) {
	x := newIntakeFixture(t)
	x.across()
	src := x.drop("d.pdf", "%PDF-1.4 d")
	side := x.drop("d.json", `{"pieces": []}`)
	id, err := identOf(src)
	if err != nil {
		t.Fatal(err)
	}
	a := hotfolder.Arrival{Path: src, Workflow: "default", Companions: []string{side}}
	if err := x.d.takeArrival(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	jobs, _ := x.d.store.Jobs()
	if len(jobs) != 1 || jobs[0].Intake == nil || len(jobs[0].Intake.Files) != 2 {
		t.Fatalf("jobs: %+v", jobs)
	}
	in := jobs[0].Intake
	if f := in.Files[0]; f.Ident != id || f.SHA256 != sha(t, "%PDF-1.4 d") || f.Step != spool.IntakeMoved {
		t.Errorf("input journal %+v; want identity %+v and the copy's hash", f, id)
	}
	if f := in.Files[1]; f.Dest != "sidecar.json" || f.SHA256 != sha(t, `{"pieces": []}`) || f.Step != spool.IntakeMoved {
		t.Errorf("sidecar journal %+v", f)
	}
	if fileExists(src) || fileExists(side) {
		t.Error("sources left in the hot folder")
	}
}

// TestRecoverIntakeRawName recovers the copy of a file whose name is not
// UTF-8: the journal keeps the source path byte for byte, so the source is
// found and removed, not left to be taken a second time.
func TestRecoverIntakeRawName(t *testing.T) {
	x := newIntakeFixture(t)
	x.across()
	name := "Rechnung M\xfcller.pdf"
	const body = "%PDF-1.4 raw"
	src := x.drop(name, body)
	j := x.incomingJob(name, func(in *spool.Intake, dir string) {
		writeFile(t, filepath.Join(dir, "input.pdf"), body)
		in.Files[0].Step, in.Files[0].SHA256 = spool.IntakeCopied, sha(t, body)
	})
	if got := x.job(j.ID).Intake.Files[0].Source; string(got) != src {
		t.Fatalf("journal source %q; want %q", got, src)
	}
	if err := x.d.recover(); err != nil {
		t.Fatal(err)
	}
	if j := x.job(j.ID); incoming(j) || j.State != spool.Pending {
		t.Errorf("job %s %v: %s", j.State, j.StateReasons, j.Message)
	}
	if fileExists(src) {
		t.Error("the source whose copy was verified is still in the hot folder")
	}
}

// TestIntakeRetried fails the move of a sidecar after its print file moved:
// the hot folder has nothing left to offer, and the retry finishes the same
// job.
func TestIntakeRetried(t *testing.T) {
	x := newIntakeFixture(t)
	src := x.drop("e.pdf", "%PDF-1.4 e")
	side := x.drop("e.json", `{"pieces": []}`)
	failing := errors.New("injected: I/O error")
	x.d.files.rename = func(from, to string) error {
		if from == side {
			return failing
		}
		return os.Rename(from, to)
	}
	a := hotfolder.Arrival{Path: src, Workflow: "default", Companions: []string{side}}
	if err := x.d.takeArrival(context.Background(), a); !errors.Is(err, failing) {
		t.Fatalf("takeArrival = %v; want the injected error", err)
	}
	if fileExists(src) || !fileExists(side) {
		t.Fatal("want the print file moved and the sidecar not")
	}
	x.d.files.rename = os.Rename
	x.d.resumeIntakes()
	jobs, _ := x.d.store.Jobs()
	if len(jobs) != 1 || incoming(jobs[0]) || jobs[0].State != spool.Pending || fileExists(side) {
		t.Fatalf("after the retry: %+v; sidecar left %v", jobs, fileExists(side))
	}
	if ids := x.d.intakes.ids(); len(ids) != 0 {
		t.Errorf("intakes still indexed: %v", ids)
	}
}
