package daemon

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/audit"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/intake/ipp"
	"github.com/omsd/omsd/users"
)

// ippBackend gives the IPP server intake's Submit and the job reads and
// cancel the local API serves.
type ippBackend struct{ b backend }

func (i ippBackend) Submit(ctx context.Context, opt api.SubmitOptions, body io.Reader) (api.Job, error) {
	return i.b.Submit(ctx, opt, body)
}

func (i ippBackend) Job(ctx context.Context, id int64) (api.Job, error) {
	j, err := i.b.Job(ctx, id)
	return j.Job, err
}

func (i ippBackend) Jobs(ctx context.Context, q api.JobQuery) ([]api.Job, error) {
	return i.b.Jobs(ctx, q)
}

func (i ippBackend) Cancel(ctx context.Context, id int64) (api.Job, error) {
	return i.b.Cancel(ctx, id)
}

// buildIPP builds the IPP server when receivers.ipp.listen is set: it
// hands documents to intake and reads and cancels jobs through the
// backend's methods, as the local API does. Cancels go to the audit trail
// the network front ends share (config.AuditPath), closed when its loop
// ends.
func (d *Daemon) buildIPP() error {
	rc := d.cfg.Receivers.IPP
	if rc.Listen == "" {
		return nil
	}
	opt := ipp.Options{Config: d.cfg, Backend: ippBackend{backend{d}}, Log: d.log}
	var err error
	if rc.UsersFile != "" {
		if opt.Users, err = users.Load(d.cfg.Path(rc.UsersFile)); err != nil {
			return fmt.Errorf("receivers.ipp.users_file: %w", err)
		}
	}
	if rc.TLS.Enabled {
		if opt.TLS, err = d.ippTLS(rc); err != nil {
			return err
		}
	}
	if opt.Audit, err = audit.Open(d.cfg.AuditPath()); err != nil {
		return fmt.Errorf("the audit trail: %w", err)
	}
	srv, err := ipp.New(context.Background(), opt)
	if err != nil {
		opt.Audit.Close()
		return err
	}
	d.listeners = append(d.listeners, srv.Guard())
	d.ipp = func(ctx context.Context) error {
		defer opt.Audit.Close()
		return srv.ListenAndServe(ctx)
	}
	return nil
}

// ippTLS loads the configured certificate, or the self-signed one made on
// first start, and logs its fingerprint.
func (d *Daemon) ippTLS(rc config.IPPReceiver) (*tls.Config, error) {
	cert, key, generate := rc.TLS.Cert, rc.TLS.Key, rc.TLS.Cert == ""
	if generate {
		cert, key = config.DefaultIPPCert, config.DefaultIPPKey
	}
	host, _, _ := net.SplitHostPort(rc.Listen)
	tc, fp, err := ipp.LoadOrCreateCert(d.cfg.Path(cert), d.cfg.Path(key), host, generate)
	if err != nil {
		return nil, fmt.Errorf("receivers.ipp.tls: %w", err)
	}
	d.log.Info().Str("certificate", d.cfg.Path(cert)).Str("sha256", fp).Bool("self_signed", generate).
		Msg("ipp: TLS certificate (clients can pin this fingerprint)")
	return tc, nil
}
