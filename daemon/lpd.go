package daemon

import (
	"context"
	"path/filepath"

	"github.com/omsd/omsd/intake/lpd"
)

// lpdStageDir, under the spool directory, holds the data files of LPD jobs
// not yet complete; nothing in it was acknowledged.
const lpdStageDir = "lpd-receiving"

// buildLPD builds the LPD receiver when receivers.lpd.listen is set: it
// hands documents to intake, and lists and cancels jobs (lpq, lprm)
// through the backend's methods, as the local API does.
func (d *Daemon) buildLPD() error {
	if d.cfg.Receivers.LPD.Listen == "" {
		return nil
	}
	srv, err := lpd.New(d.cfg, filepath.Join(d.store.Dir(), lpdStageDir), d.intake, backend{d}, d.log)
	if err != nil {
		return err
	}
	d.lpd = srv
	d.listeners = append(d.listeners, srv.Guard())
	return nil
}

// receiverLoops are the network receivers' loops; they start after the
// services that take their jobs.
func (d *Daemon) receiverLoops() []func(context.Context) error {
	var loops []func(context.Context) error
	if d.lpd != nil {
		loops = append(loops, d.lpd.Run)
	}
	if d.ipp != nil {
		loops = append(loops, d.ipp)
	}
	return loops
}
