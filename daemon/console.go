package daemon

import (
	"context"
	"path/filepath"

	"github.com/omsd/omsd/audit"
	"github.com/omsd/omsd/users"
	"github.com/omsd/omsd/web"
)

// consoleLoops are the web console's server and its event follower, when
// console.listen is set; none otherwise.
func (d *Daemon) consoleLoops() ([]func(context.Context) error, func(), error) {
	k := d.cfg.Console
	if k == nil || k.Listen == "" {
		return nil, func() {}, nil
	}
	usersFile := d.cfg.Path(k.UsersFile)
	if _, err := users.Load(usersFile); err != nil {
		d.log.Warn().Err(err).Str("users_file", usersFile).
			Msg("console: nobody can log in until the users file is fixed; add a user with omsctl users add --file " + usersFile + " --role admin NAME")
	}
	trail, err := audit.Open(d.cfg.AuditPath())
	if err != nil {
		return nil, nil, err
	}
	c, err := web.New(web.Options{Backend: backend{d}, UsersFile: usersFile, Audit: trail,
		SessionLifetime: k.SessionLifetime.Std(), Log: d.log})
	if err != nil {
		trail.Close()
		return nil, nil, err
	}
	files := web.TLSFiles{Cert: d.cfg.Path(k.TLS.Cert), Key: d.cfg.Path(k.TLS.Key)}
	if k.TLS.Cert == "" {
		dir := d.cfg.Path("console")
		files = web.TLSFiles{Cert: filepath.Join(dir, "cert.pem"), Key: filepath.Join(dir, "key.pem"), SelfSigned: true}
	}
	serve := func(ctx context.Context) error { return web.Serve(ctx, k.ConsoleAddr(), files, c, d.log) }
	return []func(context.Context) error{serve, c.Run}, func() { trail.Close() }, nil
}
