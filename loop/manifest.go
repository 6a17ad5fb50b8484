package loop

import (
	"fmt"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/drivers/inserter"
	"github.com/omsd/omsd/jobs"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/meta"
	"github.com/omsd/omsd/spool"
)

// WriteManifest writes the inserter manifest of the pieces seqs of output
// output of job j into the folder of the line behind the job, before the
// output goes to printer. A job without a line needs none. Queues calls it
// before each send.
func (s *Service) WriteManifest(j spool.Job, printer, output string, seqs []int) error {
	line, ok := s.cfg.LineFor(j.Workflow, printer)
	if !ok || line.Manifest == nil || jobs.AsSent(j) {
		// An archive reprint goes out as it was sent, its old marks and
		// all: no inserter expects it (it is inserted by hand).
		return nil
	}
	m, err := s.manifest(j, output, seqs, line)
	if err != nil {
		return err
	}
	path, err := inserter.Write(s.cfg.Path(line.ManifestDir), line.Manifest, m)
	if err != nil {
		return err
	}
	if j.ReprintOf == 0 && j.Loop == nil {
		s.updateLoop(j.ID, func(*spool.Job, *spool.Loop) {})
	}
	s.log.Info().Int64("job", j.ID).Str("line", line.Name).Str("manifest", path).Int("pieces", len(m.Pieces)).Int("envelopes", len(inserter.Envelopes(m.Pieces))).Msg("inserter manifest written")
	return nil
}

// manifest builds the manifest of the pieces seqs of job j, in that order.
// A reprint keeps the run's job id and piece ids, as its marks' barcodes
// do, and carries its generation.
func (s *Service) manifest(j spool.Job, output string, seqs []int, line config.Line) (inserter.Manifest, error) {
	bySeq, err := jobs.PiecesBySeq(s.store, j.ID)
	if err != nil {
		return inserter.Manifest{}, err
	}
	st := s.stations(j.Workflow, line)
	wf, _ := jobs.Workflow(s.cfg, j)
	m := inserter.Manifest{Job: jobs.Root(j), JobName: j.Name, Output: output, Generation: j.Generation, Created: j.Created}
	for _, env := range jobs.Envelopes(seqs, bySeq) {
		inserts := envelopeInserts(wf, env, bySeq)
		for _, s := range env {
			p, ok := bySeq[s]
			if !ok {
				return m, fmt.Errorf("job %d has no piece %d", j.ID, s)
			}
			m.Pieces = append(m.Pieces, manifestPiece(p, line, wf, stationsOf(inserts, st)))
		}
	}
	return m, nil
}

// envelopeInserts names the inserts of the envelope holding pieces env.
func envelopeInserts(wf config.Workflow, env []int, bySeq map[int]mailpiece.Piece) []string {
	if wf.Postage == nil {
		return nil
	}
	metas := make([]meta.Fields, len(env))
	for i, s := range env {
		metas[i] = bySeq[s].Meta
	}
	return wf.Postage.InsertsFor(metas)
}

// stations maps insert names to select-feed stations: the feeders of the
// workflow's marks, else of the line's marks profile, else the order of
// the workflow's inserts.
func (s *Service) stations(workflow string, line config.Line) map[string]int {
	if wf, ok := s.cfg.Workflow(workflow); ok && wf.Marks != nil && wf.Marks.Loaded() != nil {
		return wf.Marks.Loaded().Feeders
	}
	if line.Profile != nil {
		return line.Profile.Feeders
	}
	st := map[string]int{}
	if wf, ok := s.cfg.Workflow(workflow); ok && wf.Postage != nil {
		for i, in := range wf.Postage.Inserts {
			st[in.Name] = i + 1
		}
	}
	return st
}

func stationsOf(inserts []string, st map[string]int) []int {
	var out []int
	for _, name := range inserts {
		if n, ok := st[name]; ok {
			out = append(out, n)
		}
	}
	return out
}

// manifestPiece is one piece as the manifest lists it.
func manifestPiece(p mailpiece.Piece, line config.Line, wf config.Workflow, stations []int) inserter.Piece {
	mp := inserter.Piece{Seq: p.Seq, Pages: p.Pages, Sheets: p.Sheets, Stations: stations, Meta: p.Meta}
	mp.Envelope = p.Seq // as the marks number an envelope without a plan
	if pl := p.Placement; pl != nil && pl.Envelope != 0 {
		mp.Envelope, mp.EnvelopeType = pl.Envelope, pl.EnvelopeType
	}
	for _, f := range line.Address {
		if v := p.Meta.Get(f); v != "" {
			mp.Address = append(mp.Address, v)
		}
	}
	postal := "postal_code"
	if wf.Postage != nil && wf.Postage.Fields.PostalCode != "" {
		postal = wf.Postage.Fields.PostalCode
	}
	mp.PostalCode = p.Meta.Get(postal)
	mp.Divert = mailpiece.Diverted(p.Meta, line.DivertField)
	return mp
}
