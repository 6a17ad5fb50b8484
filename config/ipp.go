package config

import (
	"fmt"
	"net"
	"net/netip"
	"time"
)

// IPPReceiver configures omsd's IPP server: one printer URI per receiver
// queue, ipp://HOST:PORT/ipp/print/QUEUE.
type IPPReceiver struct {
	// Listen is the address to listen on; empty turns the server off. The
	// default configuration listens on loopback only.
	Listen string `yaml:"listen"`
	// AllowFrom lists the client networks (CIDR or single addresses) that
	// may connect; default loopback only. Others are refused and logged.
	AllowFrom []string `yaml:"allow_from"`
	// TLS serves ipps:// instead of ipp://.
	TLS IPPTLS `yaml:"tls"`
	// UsersFile turns on HTTP Basic authentication against a users file
	// (omsctl users add); empty accepts every client the allow-list lets in.
	UsersFile string `yaml:"users_file"`
	// AuditLog records every job cancelled through IPP.
	AuditLog string `yaml:"audit_log"`
	// MaxDocument bounds one document as it arrives (after decompression).
	MaxDocument Size `yaml:"max_document"`
	// MaxConnections bounds the connections served at once; more wait.
	MaxConnections int `yaml:"max_connections"`
	// ReadTimeout is how long a connection may send nothing while omsd
	// waits for a request or its document; IdleTimeout how long a kept
	// connection may wait for its next request.
	ReadTimeout Duration `yaml:"read_timeout"`
	IdleTimeout Duration `yaml:"idle_timeout"`
}

// IPPTLS configures ipps://. With Enabled and no Cert/Key, omsd generates a
// self-signed certificate on first start (kept in the state directory) and
// logs its fingerprint.
type IPPTLS struct {
	Enabled bool   `yaml:"enabled"`
	Cert    string `yaml:"cert"`
	Key     string `yaml:"key"`
}

// Defaults of the IPP server.
const (
	DefaultIPPMaxDocument    = Size(1 << 30)
	DefaultIPPMaxConnections = 64
	DefaultIPPReadTimeout    = 30 * time.Second
	DefaultIPPIdleTimeout    = 60 * time.Second
	DefaultIPPAuditLog       = "audit.log"
	// DefaultIPPCert and DefaultIPPKey are where a self-signed
	// certificate is kept, under the state directory.
	DefaultIPPCert = "ipp/cert.pem"
	DefaultIPPKey  = "ipp/key.pem"
)

// DefaultAllowFrom is the allow-list when none is configured: loopback.
var DefaultAllowFrom = []string{"127.0.0.0/8", "::1/128"}

func (c *Config) fillIPPDefaults() {
	r := &c.Receivers.IPP
	if r.MaxDocument == 0 {
		r.MaxDocument = DefaultIPPMaxDocument
	}
	if r.MaxConnections == 0 {
		r.MaxConnections = DefaultIPPMaxConnections
	}
	if r.ReadTimeout == 0 {
		r.ReadTimeout = Duration(DefaultIPPReadTimeout)
	}
	if r.IdleTimeout == 0 {
		r.IdleTimeout = Duration(DefaultIPPIdleTimeout)
	}
	if len(r.AllowFrom) == 0 {
		r.AllowFrom = DefaultAllowFrom
	}
	setDefault(&r.AuditLog, DefaultIPPAuditLog)
}

// AllowedNetworks parses AllowFrom; a single address is a network of one.
func (r IPPReceiver) AllowedNetworks() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range r.AllowFrom {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				return nil, fmt.Errorf("allow_from %q is not a network (write e.g. 10.1.0.0/16 or 10.1.2.3)", s)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func (c *Config) validateIPP(bad func(string, ...any)) {
	r := c.Receivers.IPP
	if r.Listen != "" {
		if _, _, err := net.SplitHostPort(r.Listen); err != nil {
			bad("receivers.ipp.listen %q is not HOST:PORT (e.g. 127.0.0.1:8631)", r.Listen)
		}
	}
	if _, err := r.AllowedNetworks(); err != nil {
		bad("receivers.ipp.%v", err)
	}
	if (r.TLS.Cert == "") != (r.TLS.Key == "") {
		bad("receivers.ipp.tls: give both cert and key, or neither for a self-signed certificate")
	}
	if r.MaxConnections < 0 || r.MaxDocument < 0 || r.ReadTimeout < 0 || r.IdleTimeout < 0 {
		bad("receivers.ipp: max_connections, max_document and the timeouts must not be negative")
	}
	seen := map[string]bool{}
	for i, q := range c.ReceiverQueues() {
		if q.Name == "" || seen[q.Name] {
			bad("receivers.queues[%d]: name %q is missing or used twice", i, q.Name)
		}
		seen[q.Name] = true
		if _, ok := c.Workflow(q.Workflow); !ok {
			bad("receivers.queues[%d] %q: workflow %q is not configured", i, q.Name, q.Workflow)
		}
	}
	if d := c.Receivers.DefaultQueue; d != "" && !seen[d] {
		bad("receivers.default_queue %q is not one of receivers.queues", d)
	}
}
