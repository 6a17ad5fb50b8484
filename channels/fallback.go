package channels

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/omsd/omsd/atomicfile"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/internal/failpoint"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/spool"
)

// Files of a fallback job in its spool directory.
const (
	fallbackInput   = "fallback.pdf"
	fallbackSidecar = "sidecar.json"
	// fallbackSource is a fallback job's Source, with its source job's ID.
	fallbackSource = "fallback of job %d"
)

// fallBack sends the pieces of job j whose digital delivery failed for
// good to print: a new job of the fallback workflow with their pages and
// a sidecar of their metadata (their channel set to print), taken in by
// analysis like any other at the next cut-off, i.e. as soon as it is
// ready. Each piece's history says why it fell back and in which job.
//
// The steps, so that a crash between two neither loses nor doubles a
// piece: the job is created incoming (analysis leaves it alone), its
// files written, the deliveries recorded as fallen back to it with their
// piece events, then the job released to analysis. Recover finishes a job
// whose deliveries were recorded and aborts one whose were not (they are
// still failed and get a new fallback job).
func (s *Service) fallBack(j spool.Job, wf config.Workflow, failed []spool.Delivery, bySeq map[int]mailpiece.Piece) error {
	fwf := wf
	if name := wf.Channels.FallbackWorkflow; name != "" {
		var ok bool
		if fwf, ok = s.cfg.Workflow(name); !ok {
			return fmt.Errorf("%w: channels.fallback_workflow %q is not configured", ErrConfig, name)
		}
	}
	slices.SortFunc(failed, func(a, b spool.Delivery) int { return a.Seq - b.Seq })
	fj, err := s.pub.CreateJob(spool.Job{
		Name: strings.TrimSuffix(j.Name, filepath.Ext(j.Name)) + ".fallback.pdf", Workflow: fwf.Name, Printer: fwf.Printer,
		State: spool.Pending, StateReasons: []string{jobs.ReasonIncoming},
		Source: fmt.Sprintf(fallbackSource, j.ID), Input: fallbackInput, Sidecar: fallbackSidecar,
	})
	if err != nil {
		return err
	}
	failpoint.Hit("channels-fallback-created")
	if err := s.writeFallback(j, fj, wf, failed, bySeq); err != nil {
		s.pub.SetState(fj.ID, spool.Aborted, "writing the fallback print file failed: "+err.Error()+"; its pieces go to the next fallback job", "aborted-by-system")
		return err
	}
	ds := make([]spool.Delivery, len(failed))
	entries := make([]spool.TrackEntry, len(failed))
	for i, d := range failed {
		d.State, d.FallbackJob = spool.DeliveryFellBack, fj.ID
		ds[i] = d
		entries[i] = spool.TrackEntry{Root: jobs.Root(j), Seq: d.Seq, Event: spool.PieceEvent{Time: time.Now().UTC(),
			Kind: spool.TrackFellBack, Job: j.ID, Detail: fmt.Sprintf("%s failed: %s; printed in job %d", d.Channel, d.Error, fj.ID)}}
	}
	if err := s.store.PutDeliveries(ds, entries); err != nil {
		return err
	}
	failpoint.Hit("channels-fallback-recorded")
	s.log.Warn().Int64("job", j.ID).Int64("fallback_job", fj.ID).Int("pieces", len(failed)).Msg("pieces fell back to print")
	return s.release(fj)
}

// release hands a fallback job to analysis.
func (s *Service) release(fj spool.Job) error {
	_, err := s.pub.Update(fj.ID, func(j *spool.Job) error {
		j.StateReasons = slices.DeleteFunc(j.StateReasons, func(r string) bool { return r == jobs.ReasonIncoming })
		if len(j.StateReasons) == 0 {
			j.StateReasons = []string{"job-queued"}
		}
		j.Message = "pieces whose digital delivery failed, to print"
		return nil
	})
	if err == nil {
		s.received.Wake()
	}
	return err
}

// sidecarPiece is one piece of a fallback job's sidecar.
type sidecarPiece struct {
	FirstPage int               `json:"first_page"`
	Pages     int               `json:"pages"`
	Meta      map[string]string `json:"meta"`
}

// writeFallback writes fallback job fj's print file (the failed pieces'
// pages of j's) and its sidecar.
func (s *Service) writeFallback(j, fj spool.Job, wf config.Workflow, failed []spool.Delivery, bySeq map[int]mailpiece.Piece) error {
	dir, err := s.store.MakeJobDir(fj.ID)
	if err != nil {
		return err
	}
	doc, err := openPrintPDF(s.store, j, wf)
	if err != nil {
		return err
	}
	var pages []int
	var side []sidecarPiece
	for _, d := range failed {
		p := bySeq[d.Seq]
		meta := make(map[string]string, p.Meta.Len()+2)
		for k, v := range p.Meta.All() {
			meta[k] = v
		}
		meta[wf.Channels.Field] = config.PrintChannel
		meta["fallback_of"] = fmt.Sprintf("%d/%d", j.ID, p.Seq)
		side = append(side, sidecarPiece{FirstPage: len(pages) + 1, Pages: p.Pages, Meta: meta})
		for n := p.FirstPage; n <= p.LastPage(); n++ {
			pages = append(pages, n)
		}
	}
	if err := doc.WritePages(filepath.Join(dir, fallbackInput), pages); err != nil {
		return err
	}
	b, err := json.Marshal(map[string]any{"pieces": side})
	if err != nil {
		return err
	}
	_, err = atomicfile.WriteFile(filepath.Join(dir, fallbackSidecar), bytes.NewReader(b), 0o644)
	return err
}

// Recover finishes or aborts the fallback jobs a stop cut off, before
// intake's recovery sees them: a job its deliveries were recorded as
// fallen back to is released to analysis (its files were written before),
// one they were not is aborted (they are still failed and go to the next
// fallback job). Runs before the services start.
func (s *Service) Recover() error {
	js, err := s.store.JobsInState(spool.Pending)
	if err != nil {
		return err
	}
	for _, fj := range js {
		var src int64
		if !jobs.Incoming(fj) || !isFallback(fj) {
			continue
		}
		fmt.Sscanf(fj.Source, fallbackSource, &src)
		ds, err := s.store.Deliveries(src)
		if err != nil {
			return err
		}
		if !pointsAt(ds, fj.ID) || !filesPresent(s.store.JobDir(fj.ID)) {
			s.log.Warn().Int64("job", fj.ID).Msg("a fallback job cut off before its pieces were recorded is aborted; they go to the next fallback job")
			if _, err := s.pub.SetState(fj.ID, spool.Aborted, "cut off by a stop before its pieces were recorded; they go to the next fallback job", "aborted-by-system"); err != nil {
				return err
			}
			continue
		}
		s.log.Info().Int64("job", fj.ID).Msg("a fallback job cut off by a stop is released to analysis")
		if err := s.release(fj); err != nil {
			return err
		}
	}
	return nil
}

// isFallback reports whether j is a fallback job of this package's.
func isFallback(j spool.Job) bool {
	var src int64
	_, err := fmt.Sscanf(j.Source, fallbackSource, &src)
	return err == nil && j.Input == fallbackInput
}

func pointsAt(ds map[int]spool.Delivery, id int64) bool {
	for _, d := range ds {
		if d.FallbackJob == id {
			return true
		}
	}
	return false
}

func filesPresent(dir string) bool {
	for _, name := range []string{fallbackInput, fallbackSidecar} {
		if _, err := os.Stat(filepath.Join(dir, name)); errors.Is(err, fs.ErrNotExist) {
			return false
		}
	}
	return true
}
