package config

import (
	"fmt"
	"net"
	"time"
)

// Console configures the web console. It is off unless Listen is set.
type Console struct {
	// Listen is the console's TCP address, "host:port". An empty host
	// ("":8443") means 127.0.0.1: the console is reachable from another
	// machine only when a non-loopback address is written out.
	Listen string `yaml:"listen"`
	// TLS is the certificate the console serves; without one, a
	// self-signed certificate is made on first start and kept in
	// STATE_DIR/console.
	TLS ConsoleTLS `yaml:"tls"`
	// UsersFile lists who may log in, with bcrypt hashes and roles
	// (omsctl users add); default users.yaml.
	UsersFile string `yaml:"users_file"`
	// SessionLifetime is how long a login lasts; default 8h.
	SessionLifetime Duration `yaml:"session_lifetime"`
}

// ConsoleTLS is the console's certificate and key, PEM files.
type ConsoleTLS struct {
	Cert string `yaml:"cert"`
	Key  string `yaml:"key"`
}

// Defaults of the console.
const (
	DefaultUsersFile       = "users.yaml"
	DefaultSessionLifetime = 8 * time.Hour
	// AuditFile is the audit trail of the network front ends, in the
	// state directory.
	AuditFile = "audit.log"
)

// AuditPath is the audit trail's path.
func (c *Config) AuditPath() string { return c.Path(AuditFile) }

// ConsoleAddr is the address the console listens on: Listen with an
// empty host made 127.0.0.1.
func (c *Console) ConsoleAddr() string {
	host, port, err := net.SplitHostPort(c.Listen)
	if err != nil || host != "" {
		return c.Listen
	}
	return net.JoinHostPort("127.0.0.1", port)
}

func (c *Config) fillConsoleDefaults() {
	if c.Console == nil {
		return
	}
	setDefault(&c.Console.UsersFile, DefaultUsersFile)
	if c.Console.SessionLifetime == 0 {
		c.Console.SessionLifetime = Duration(DefaultSessionLifetime)
	}
}

func (c *Config) validateConsole(bad func(string, ...any)) {
	k := c.Console
	if k == nil {
		return
	}
	c.fillConsoleDefaults()
	if k.Listen == "" {
		bad("console.listen is empty; give host:port (e.g. 127.0.0.1:8443), or remove the console section")
	} else if _, _, err := net.SplitHostPort(k.Listen); err != nil {
		bad("console.listen %q: %v; give host:port (e.g. 127.0.0.1:8443)", k.Listen, err)
	}
	if (k.TLS.Cert == "") != (k.TLS.Key == "") {
		bad("console.tls: give both cert and key, or neither for a self-signed certificate")
	}
	if k.SessionLifetime < Duration(time.Minute) {
		bad("console.session_lifetime is %v; give at least a minute (e.g. 8h)", k.SessionLifetime.Std())
	}
}

// String names the console's address for logs.
func (c *Console) String() string { return fmt.Sprintf("console on %s", c.ConsoleAddr()) }
