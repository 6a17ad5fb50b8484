package daemon

import (
	"context"
	"path/filepath"

	"github.com/omsd/omsd/audit"
	"github.com/omsd/omsd/users"
	"github.com/omsd/omsd/web"
)

// consoleLoops is the web console, when console.listen is set; none
// otherwise. A reload starts it again on the new configuration (and logs
// everyone out).
func (d *Daemon) consoleLoops() []func(context.Context) error {
	if k := d.cfg.Console; k == nil || k.Listen == "" {
		return nil
	}
	return []func(context.Context) error{d.serveConsole}
}

// serveConsole serves the console on the local API's backend, with the
// audit trail open, until ctx ends.
func (d *Daemon) serveConsole(ctx context.Context) error {
	k := d.cfg.Console
	usersFile := d.cfg.Path(k.UsersFile)
	if _, err := users.Load(usersFile); err != nil {
		d.log.Warn().Err(err).Str("users_file", usersFile).
			Msg("console: nobody can log in until the users file is fixed; add a user with omsctl users add --file " + usersFile + " --role admin NAME")
	}
	trail, err := audit.Open(d.cfg.AuditPath())
	if err != nil {
		return err
	}
	defer trail.Close()
	c, err := web.New(web.Options{Backend: backend{d}, UsersFile: usersFile, Audit: trail,
		SessionLifetime: k.SessionLifetime.Std(), Log: d.log})
	if err != nil {
		return err
	}
	files := web.TLSFiles{Cert: d.cfg.Path(k.TLS.Cert), Key: d.cfg.Path(k.TLS.Key)}
	if k.TLS.Cert == "" {
		dir := d.cfg.Path("console")
		files = web.TLSFiles{Cert: filepath.Join(dir, "cert.pem"), Key: filepath.Join(dir, "key.pem"), SelfSigned: true}
	}
	ctx, cancel := context.WithCancel(ctx)
	followed := make(chan struct{})
	go func() {
		defer close(followed)
		c.Run(ctx)
	}()
	err = web.Serve(ctx, k.ConsoleAddr(), files, c, d.log)
	cancel()
	<-followed
	return err
}
