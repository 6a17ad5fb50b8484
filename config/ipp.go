package config

import (
	"net"
	"time"
)

// IPPReceiver configures omsd's IPP server: one printer URI per receiver
// queue, ipp://HOST:PORT/ipp/print/QUEUE (ipps:// with TLS).
type IPPReceiver struct {
	// Listen is the address to listen on; empty turns the server off. The
	// default configuration listens on loopback only.
	Listen string `yaml:"listen"`
	// Allow lists the client networks (CIDRs, or single addresses) that
	// may connect; empty: loopback only. Others are refused and logged.
	Allow []string `yaml:"allow"`
	// TLS serves ipps:// instead of ipp://.
	TLS IPPTLS `yaml:"tls"`
	// UsersFile turns on HTTP Basic authentication against a users file;
	// empty accepts every client the allow-list lets in.
	UsersFile string `yaml:"users_file"`
	// MaxDocument bounds one document as it arrives (after
	// decompression; default DefaultMaxDocument).
	MaxDocument Size `yaml:"max_document"`
	// MaxConnections bounds the connections served at once; more are
	// refused.
	MaxConnections int `yaml:"max_connections"`
	// ReadTimeout is how long a client may send nothing while omsd waits
	// for its request or document; IdleTimeout how long a kept-alive
	// connection may wait for its next request.
	ReadTimeout Duration `yaml:"read_timeout"`
	IdleTimeout Duration `yaml:"idle_timeout"`
}

// IPPTLS configures ipps://. With Enabled and no Cert/Key, omsd makes a
// self-signed certificate on first start (kept in the state directory)
// and logs its fingerprint.
type IPPTLS struct {
	Enabled bool   `yaml:"enabled"`
	Cert    string `yaml:"cert"`
	Key     string `yaml:"key"`
}

// Defaults of the IPP server.
const (
	DefaultIPPReadTimeout = 30 * time.Second
	// DefaultIPPCert and DefaultIPPKey are where a self-signed
	// certificate is kept, under the state directory.
	DefaultIPPCert = "ipp/cert.pem"
	DefaultIPPKey  = "ipp/key.pem"
)

func (c *Config) fillIPPDefaults() {
	r := &c.Receivers.IPP
	if r.MaxDocument == 0 {
		r.MaxDocument = DefaultMaxDocument
	}
	if r.MaxConnections == 0 {
		r.MaxConnections = DefaultMaxConnections
	}
	if r.ReadTimeout == 0 {
		r.ReadTimeout = Duration(DefaultIPPReadTimeout)
	}
	if r.IdleTimeout == 0 {
		r.IdleTimeout = Duration(DefaultIdleTimeout)
	}
}

func (c *Config) validateIPP(bad func(string, ...any)) {
	r := c.Receivers.IPP
	if r.Listen == "" {
		return
	}
	if _, _, err := net.SplitHostPort(r.Listen); err != nil {
		bad("receivers.ipp.listen %q is not HOST:PORT (e.g. 127.0.0.1:8631, or :631 for every address)", r.Listen)
	}
	if _, err := ParseAllow(r.Allow); err != nil {
		bad("receivers.ipp.allow: %v", err)
	}
	if (r.TLS.Cert == "") != (r.TLS.Key == "") {
		bad("receivers.ipp.tls: give both cert and key, or neither for a self-signed certificate")
	}
	if r.MaxDocument < 0 {
		bad("receivers.ipp.max_document must not be negative")
	}
	if r.MaxConnections < 1 {
		bad("receivers.ipp.max_connections must be at least 1")
	}
	if r.ReadTimeout < Duration(time.Second) || r.IdleTimeout < Duration(time.Second) {
		bad("receivers.ipp.read_timeout and idle_timeout must be at least 1s")
	}
}
