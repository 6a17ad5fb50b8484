package intake

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/omsd/omsd/atomicfile"
	"github.com/omsd/omsd/internal/failpoint"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/spool"
)

// The journaled move of a hot-folder file into its job directory. The
// journal (spool.Intake) is stored with the job before anything is touched;
// each step is made durable (file and directory fsync, journal commit)
// before the next one starts, and every step can be repeated after a crash:
//
//	recorded --rename--------------------------------------------> moved
//	recorded --copy, fsync, rename, fsync dir--> copied (sha256 stored)
//	copied   --source removed, its directory fsynced--------------> moved
//
// A source is removed only while it is still the file that was recorded
// (device, inode, size, modification time) and its copy in the spool has the
// recorded size and SHA-256.

var (
	errSourceGone    = errors.New("the file is no longer in the hot folder")
	errSourceChanged = errors.New("the file in the hot folder changed or was replaced before it was taken")
)

// sourceFiles moves and removes hot-folder files: os.Rename and os.Remove,
// which tests replace to take the copy path on one filesystem, or to make a
// removal fail.
type sourceFiles struct {
	rename func(from, to string) error
	remove func(path string) error
}

// osFiles is the sourceFiles of a running omsd.
func osFiles() sourceFiles { return sourceFiles{rename: os.Rename, remove: os.Remove} }

// identOf returns the identity of the regular file at path.
func identOf(path string) (spool.Ident, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return spool.Ident{}, err
	}
	if !fi.Mode().IsRegular() {
		return spool.Ident{}, fmt.Errorf("%s: not a regular file", path)
	}
	return identFromInfo(fi), nil
}

func identFromInfo(fi fs.FileInfo) spool.Ident {
	id := spool.Ident{Size: fi.Size(), MtimeNS: fi.ModTime().UnixNano()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		id.Dev, id.Ino = uint64(st.Dev), st.Ino
	}
	return id
}

// sameInode reports whether a and b are the same file on disk.
func sameInode(a, b spool.Ident) bool { return a.Dev == b.Dev && a.Ino == b.Ino }

// moveIn carries j's intake journal through to its end: every file in the
// job directory, its source gone, the done-file removed, the job queued.
func (s *Service) moveIn(j spool.Job) error {
	dir, err := s.store.MakeJobDir(j.ID)
	if err != nil {
		return err
	}
	in := cloneIntake(j.Intake)
	copied := false
	for i := range in.Files {
		f := &in.Files[i]
		if err := s.files.settleFile(dir, f); err != nil {
			return fmt.Errorf("job %d: taking in %s: %w", j.ID, string(f.Source), err)
		}
		copied = copied || f.Step == spool.IntakeCopied
	}
	if copied {
		if err := s.journal(j.ID, in); err != nil {
			return err
		}
		failpoint.Hit("intake-journaled")
		for i := range in.Files {
			if err := s.files.removeCopiedSource(&in.Files[i]); err != nil {
				return fmt.Errorf("job %d: %w", j.ID, err)
			}
		}
	}
	if in.DoneFile != "" {
		if err := s.files.remove(string(in.DoneFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			s.log.Warn().Err(err).Int64("job", j.ID).Msg("removing the done-file")
		}
		failpoint.Hit("intake-done-removed")
	}
	return s.finishIntake(j.ID, in)
}

func cloneIntake(in *spool.Intake) *spool.Intake {
	c := *in
	c.Files = append([]spool.IntakeFile(nil), in.Files...)
	return &c
}

// journal stores in as j's intake journal (one fsynced commit).
func (s *Service) journal(id int64, in *spool.Intake) error {
	_, err := s.pub.Update(id, func(j *spool.Job) error {
		j.Intake = in
		return nil
	})
	if err != nil {
		return fmt.Errorf("job %d: journaling the intake: %w", id, err)
	}
	return nil
}

// finishIntake stores the finished journal and queues the job.
func (s *Service) finishIntake(id int64, in *spool.Intake) error {
	_, err := s.pub.Update(id, func(j *spool.Job) error {
		j.Intake = in
		j.StateReasons = jobs.RemoveReason(j.StateReasons, jobs.ReasonIncoming)
		if len(j.StateReasons) == 0 {
			j.StateReasons = []string{jobs.QueuedReason(j.State)}
		}
		j.Message = "received from " + j.Source
		return nil
	})
	if err != nil {
		return err
	}
	s.intakes.drop(id)
	s.analyze.Wake()
	return nil
}

// settleFile brings f to IntakeCopied or IntakeMoved, from whatever step a
// crash left it in.
func (o sourceFiles) settleFile(dir string, f *spool.IntakeFile) error {
	dst := filepath.Join(dir, f.Dest)
	switch f.Step {
	case spool.IntakeMoved:
		return nil
	case spool.IntakeCopied:
		ok, err := copyVerified(dst, *f)
		if err != nil || ok {
			return err
		}
		// The copy is not what was recorded: take it again from the source.
		f.Step, f.SHA256 = spool.IntakeRecorded, ""
	}
	done, err := settleExisting(dst, f)
	if err != nil || done {
		return err
	}
	return o.moveSource(dst, f)
}

// settleExisting looks at what a cut-off move left at dst. The source renamed
// there is moved. A copy whose hash was not journaled is discarded while the
// source is still there to copy again; with the source gone (removed by
// someone else) it is the only copy and is kept: it was fsynced before it got
// its name.
func settleExisting(dst string, f *spool.IntakeFile) (bool, error) {
	di, err := os.Lstat(dst)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if sameInode(identFromInfo(di), f.Ident) {
		if err := syncDirs(dst, string(f.Source)); err != nil {
			return false, err
		}
		f.Step = spool.IntakeMoved
		return true, nil
	}
	if _, err := os.Lstat(string(f.Source)); errors.Is(err, fs.ErrNotExist) && di.Size() == f.Size {
		sum, err := hashFile(dst)
		if err != nil {
			return false, err
		}
		f.SHA256, f.Step = sum, spool.IntakeMoved
		return true, nil
	}
	if err := os.Remove(dst); err != nil {
		return false, fmt.Errorf("discarding an unverified copy: %w", err)
	}
	return false, atomicfile.SyncDir(filepath.Dir(dst))
}

// moveSource moves f's source to dst: a rename on one filesystem, a hashed
// copy across filesystems (the source is removed later, once the hash is
// journaled).
func (o sourceFiles) moveSource(dst string, f *spool.IntakeFile) error {
	id, err := identOf(string(f.Source))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errSourceGone
	case err != nil:
		return err
	case id != f.Ident:
		return errSourceChanged
	}
	err = o.rename(string(f.Source), dst)
	if err == nil {
		failpoint.Hit("intake-renamed")
		if err := syncDirs(dst, string(f.Source)); err != nil {
			return err
		}
		f.Step = spool.IntakeMoved
		return nil
	}
	if !errors.Is(err, syscall.EXDEV) {
		return fmt.Errorf("move: %w", err)
	}
	sum, err := copyIn(string(f.Source), dst, f.Ident)
	if err != nil {
		return err
	}
	failpoint.Hit("intake-copied")
	f.SHA256, f.Step = sum, spool.IntakeCopied
	return nil
}

// copyIn copies src, which must still be the file want, to dst atomically
// (temp file, fsync, rename, directory fsync) and returns its SHA-256.
func copyIn(src, dst string, want spool.Ident) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", fmt.Errorf("copy: %w", err)
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return "", fmt.Errorf("copy: %w", err)
	}
	if identFromInfo(fi) != want {
		return "", errSourceChanged
	}
	h := sha256.New()
	_, err = atomicfile.WriteWith(dst, fi.Mode().Perm(), func(f *os.File) error {
		return copyUnchanged(io.MultiWriter(f, h), in, want)
	})
	if err != nil {
		return "", fmt.Errorf("copy: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// copyUnchanged copies in to w and checks that in is still the file want.
func copyUnchanged(w io.Writer, in *os.File, want spool.Ident) error {
	half := want.Size / 2
	if _, err := io.CopyN(w, in, half); err != nil {
		return err
	}
	failpoint.Hit("intake-copying")
	n, err := io.Copy(w, in)
	if err != nil {
		return err
	}
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	if half+n != want.Size || identFromInfo(fi) != want {
		return errSourceChanged
	}
	return nil
}

// copyVerified reports whether dst has f's recorded size and SHA-256.
func copyVerified(dst string, f spool.IntakeFile) (bool, error) {
	fi, err := os.Lstat(dst)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if fi.Size() != f.Size {
		return false, nil
	}
	sum, err := hashFile(dst)
	return err == nil && sum == f.SHA256, err
}

func hashFile(path string) (string, error) {
	r, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer r.Close()
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", fmt.Errorf("hashing %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// removeCopiedSource removes the source of a copied file if it is still the
// file that was copied (a file that replaced it is left to the hot folder),
// and fsyncs its directory.
func (o sourceFiles) removeCopiedSource(f *spool.IntakeFile) error {
	if f.Step != spool.IntakeCopied {
		return nil
	}
	id, err := identOf(string(f.Source))
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("removing %s after copying it: %w", string(f.Source), err)
	case id == f.Ident:
		if err := o.remove(string(f.Source)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("removing %s after copying it: %w", string(f.Source), err)
		}
		failpoint.Hit("intake-source-removed")
	}
	if err := atomicfile.SyncDir(filepath.Dir(string(f.Source))); err != nil {
		return err
	}
	f.Step = spool.IntakeMoved
	return nil
}

// syncDirs fsyncs the directories of a rename from src to dst.
func syncDirs(dst, src string) error {
	if err := atomicfile.SyncDir(filepath.Dir(dst)); err != nil {
		return err
	}
	if filepath.Dir(src) == filepath.Dir(dst) {
		return nil
	}
	return atomicfile.SyncDir(filepath.Dir(src))
}
