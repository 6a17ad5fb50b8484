package loop

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/spool"
)

// Lines are the configured inserting lines: their folders' newest files
// and the runs not yet accounted for, each with its reconciliation.
func (s *Service) Lines(ctx context.Context) ([]api.Line, error) {
	open, err := s.store.OpenLoops()
	if err != nil {
		return nil, err
	}
	out := make([]api.Line, 0, len(s.cfg.Lines))
	for _, l := range s.cfg.Lines {
		al := api.Line{Name: l.Name, ManifestDir: s.cfg.Path(l.ManifestDir), ManifestLayout: l.ManifestLayout,
			ResultDir: s.cfg.Path(l.ResultDir), ResultLayout: l.ResultLayout,
			DoneDir: s.cfg.Path(l.DoneDir), ErrorDir: s.cfg.Path(l.ErrorDir), Runs: []api.JobReport{}}
		var problems []string
		list := func(dir string, keep func(string) bool) []api.LineFile {
			fs, err := newestFiles(dir, keep, api.LineFilesShown)
			if err != nil {
				problems = append(problems, err.Error())
			}
			return fs
		}
		al.Manifests = list(al.ManifestDir, notHidden)
		for i := range al.Manifests {
			al.Manifests[i].Job = manifestJob(al.Manifests[i].Name)
		}
		al.Waiting = list(al.ResultDir, notHidden)
		al.Applied = list(al.DoneDir, notHidden)
		al.Quarantined = list(al.ErrorDir, func(n string) bool { return notHidden(n) && !strings.HasSuffix(n, ".error.json") })
		for i := range al.Quarantined {
			readResultReport(al.ErrorDir, &al.Quarantined[i])
		}
		al.Error = strings.Join(problems, "; ")
		for _, j := range open {
			if j.Loop == nil || j.Loop.Line != l.Name {
				continue
			}
			rep, err := s.Report(ctx, j.ID)
			if err != nil {
				return nil, fmt.Errorf("line %s: run %d: %w", l.Name, j.ID, err)
			}
			al.Runs = append(al.Runs, rep)
		}
		out = append(out, al)
	}
	return out, nil
}

// RunFiles are the files run id (or the run of reprint job id) exchanged
// with its line: the manifests written for it, and the result files that
// reported on its pieces, in the order they came.
func (s *Service) RunFiles(ctx context.Context, id int64) (api.RunFiles, error) {
	j, err := jobs.Find(s.store, id)
	if err != nil {
		return api.RunFiles{}, err
	}
	root := jobs.Root(j)
	rf := api.RunFiles{Job: root, Manifests: []api.LineFile{}, Results: []api.RunResultFile{}}
	rj := j
	if root != j.ID {
		if rj, err = s.store.Job(root); err != nil {
			return rf, err
		}
	}
	line, ok := s.lineOf(rj)
	if !ok {
		return rf, nil
	}
	rf.Line = line.Name
	prefix := fmt.Sprintf("job%06d-", root)
	rf.Manifests, err = newestFiles(s.cfg.Path(line.ManifestDir), func(n string) bool { return strings.HasPrefix(n, prefix) }, 0)
	if err != nil {
		return rf, err
	}
	for i := range rf.Manifests {
		rf.Manifests[i].Job = root
	}
	tracks, err := s.store.Tracks(root)
	if err != nil {
		return rf, err
	}
	byName := map[string]*api.RunResultFile{}
	for _, evs := range tracks {
		for _, ev := range evs {
			if ev.File == "" || !slices.Contains(lineResults, ev.Kind) {
				continue // an alarm names the file too
			}
			f := byName[ev.File]
			if f == nil {
				f = &api.RunResultFile{Name: ev.File, First: ev.Time, Last: ev.Time}
				byName[ev.File] = f
			}
			f.Events++
			if ev.Time.Before(f.First) {
				f.First = ev.Time
			}
			if ev.Time.After(f.Last) {
				f.Last = ev.Time
			}
		}
	}
	for _, f := range byName {
		rf.Results = append(rf.Results, *f)
	}
	slices.SortFunc(rf.Results, func(a, b api.RunResultFile) int {
		if c := a.First.Compare(b.First); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return rf, nil
}

// lineOf is the line of run j: the one its loop names, else the one its
// workflow or printer goes through.
func (s *Service) lineOf(j spool.Job) (config.Line, bool) {
	if j.Loop != nil && j.Loop.Line != "" {
		return s.cfg.Line(j.Loop.Line)
	}
	return s.cfg.LineFor(j.Workflow, j.Printer)
}

// lineResults are the kinds of piece events a line's result file reports.
var lineResults = []string{spool.TrackInserted, spool.TrackDiverted, spool.TrackHandMailed, spool.TrackDamaged, spool.TrackUnread}

func notHidden(name string) bool { return !strings.HasPrefix(name, ".") }

// newestFiles lists the regular files of dir that keep selects, newest
// first, at most n of them (all if n is 0). A missing dir has none.
func newestFiles(dir string, keep func(string) bool, n int) ([]api.LineFile, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return []api.LineFile{}, nil
	}
	if err != nil {
		return []api.LineFile{}, fmt.Errorf("folder %s: %w", dir, err)
	}
	out := []api.LineFile{}
	for _, e := range ents {
		if !e.Type().IsRegular() || !keep(e.Name()) {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // removed since the listing
		}
		out = append(out, api.LineFile{Name: e.Name(), Size: info.Size(), Time: info.ModTime().UTC()})
	}
	slices.SortFunc(out, func(a, b api.LineFile) int {
		if c := b.Time.Compare(a.Time); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out, nil
}

// manifestJob is the run a manifest's name (job000012-main.txt) names, or 0.
func manifestJob(name string) int64 {
	rest, ok := strings.CutPrefix(name, "job")
	if !ok {
		return 0
	}
	digits, _, _ := strings.Cut(rest, "-")
	id, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0
	}
	return id
}

// readResultReport adds the problems of a quarantined result file, from
// the NAME.error.json beside it.
func readResultReport(dir string, f *api.LineFile) {
	data, err := os.ReadFile(filepath.Join(dir, f.Name+".error.json"))
	if err != nil {
		return
	}
	var rep resultReport
	if json.Unmarshal(data, &rep) == nil {
		f.Problems, f.Next = rep.Problems, rep.Next
	}
}
