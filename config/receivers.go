package config

import (
	"fmt"
	"net"
	"net/netip"
	"time"
)

// Receivers configures the network receivers (LPD, IPP): the queues they
// accept jobs on and each protocol's listener. Each queue names the
// workflow its jobs run, as a hot folder does.
type Receivers struct {
	// Queues map a queue name (an LPD queue, an IPP printer path
	// /ipp/print/NAME) to a workflow and the job's defaults. With none
	// listed, every workflow is a queue of its own name.
	Queues []ReceiverQueue `yaml:"queues"`
	// DefaultQueue takes jobs sent to an unknown or empty queue name;
	// empty refuses them.
	DefaultQueue string `yaml:"default_queue"`
	// LPD is the LPD (RFC 1179) receiver.
	LPD LPDReceiver `yaml:"lpd"`
	// IPP is the IPP server.
	IPP IPPReceiver `yaml:"ipp"`
}

// ReceiverQueue is one queue of the network receivers.
type ReceiverQueue struct {
	Name     string            `yaml:"name"`
	Workflow string            `yaml:"workflow"`
	JobName  string            `yaml:"job_name"` // job name when the sender gives none
	User     string            `yaml:"user"`     // user when the sender gives none
	Metadata map[string]string `yaml:"metadata"` // job metadata every job of the queue gets; the sender's fields win
	Hold     bool              `yaml:"hold"`     // keep the queue's jobs held until released
}

// ReceiverQueues returns the configured queues or, with none listed, one
// per workflow named after it.
func (c *Config) ReceiverQueues() []ReceiverQueue {
	if len(c.Receivers.Queues) > 0 {
		return c.Receivers.Queues
	}
	qs := make([]ReceiverQueue, 0, len(c.Workflows))
	for _, w := range c.Workflows {
		qs = append(qs, ReceiverQueue{Name: w.Name, Workflow: w.Name})
	}
	return qs
}

// ReceiverQueue returns the queue that takes jobs sent to name: the queue
// of that name, else the default queue; false when neither exists.
func (c *Config) ReceiverQueue(name string) (ReceiverQueue, bool) {
	qs := c.ReceiverQueues()
	for _, q := range qs {
		if q.Name == name {
			return q, true
		}
	}
	for _, q := range qs {
		if q.Name == c.Receivers.DefaultQueue {
			return q, true
		}
	}
	return ReceiverQueue{}, false
}

// LPDReceiver is the LPD (RFC 1179) listener.
type LPDReceiver struct {
	// Listen is the TCP address, e.g. 127.0.0.1:5515 or :515; empty: off.
	Listen string `yaml:"listen"`
	// Allow lists the client networks (CIDRs, or single addresses) that may
	// connect; empty: loopback only.
	Allow []string `yaml:"allow"`
	// MaxDocument bounds one data file (default DefaultMaxDocument).
	MaxDocument Size `yaml:"max_document"`
	// IdleTimeout closes a connection that sends nothing for this long.
	IdleTimeout Duration `yaml:"idle_timeout"`
	// MaxConnections bounds the connections served at once; more are
	// refused.
	MaxConnections int `yaml:"max_connections"`
}

// Defaults of the receivers.
const (
	// DefaultMaxDocument bounds one received document: a mainframe run of
	// a few hundred thousand pages fits, a runaway sender does not fill
	// the spool.
	DefaultMaxDocument    = Size(4 << 30)
	DefaultIdleTimeout    = time.Minute
	DefaultMaxConnections = 64
)

// LoopbackOnly is the allow-list of a receiver that names none.
var LoopbackOnly = []string{"127.0.0.0/8", "::1/128"}

func (c *Config) fillReceiverDefaults() {
	l := &c.Receivers.LPD
	if l.MaxDocument == 0 {
		l.MaxDocument = DefaultMaxDocument
	}
	if l.IdleTimeout == 0 {
		l.IdleTimeout = Duration(DefaultIdleTimeout)
	}
	if l.MaxConnections == 0 {
		l.MaxConnections = DefaultMaxConnections
	}
}

func (c *Config) validateReceivers(bad func(string, ...any)) {
	r := c.Receivers
	seen := map[string]bool{}
	for i, q := range r.Queues {
		where := fmt.Sprintf("receivers.queues[%d]", i)
		switch {
		case q.Name == "":
			bad("%s: name is missing (the LPD queue name or IPP printer path)", where)
		case seen[q.Name]:
			bad("%s: queue %q is defined twice", where, q.Name)
		}
		seen[q.Name] = true
		if _, ok := c.Workflow(q.Workflow); !ok {
			bad("%s (%s): workflow %q is not defined under workflows", where, q.Name, q.Workflow)
		}
	}
	if r.DefaultQueue != "" {
		if q, ok := c.ReceiverQueue(r.DefaultQueue); !ok || q.Name != r.DefaultQueue {
			bad("receivers.default_queue %q is not one of receivers.queues (or, with none listed, a workflow)", r.DefaultQueue)
		}
	}
	l := r.LPD
	if l.Listen == "" {
		return
	}
	if _, _, err := net.SplitHostPort(l.Listen); err != nil {
		bad("receivers.lpd.listen %q is not HOST:PORT (e.g. 127.0.0.1:5515, or :515 for every address)", l.Listen)
	}
	if _, err := ParseAllow(l.Allow); err != nil {
		bad("receivers.lpd.allow: %v", err)
	}
	if l.MaxDocument < 0 {
		bad("receivers.lpd.max_document must not be negative")
	}
	if l.IdleTimeout < Duration(time.Second) {
		bad("receivers.lpd.idle_timeout is %v; give senders at least 1s", l.IdleTimeout.Std())
	}
	if l.MaxConnections < 1 {
		bad("receivers.lpd.max_connections must be at least 1")
	}
}

// ParseAllow reads an allow-list of networks ("10.0.0.0/8") and single
// addresses ("192.0.2.7"); an empty list is LoopbackOnly.
func ParseAllow(allow []string) ([]netip.Prefix, error) {
	if len(allow) == 0 {
		allow = LoopbackOnly
	}
	var out []netip.Prefix
	for _, a := range allow {
		p, err := netip.ParsePrefix(a)
		if err != nil {
			addr, aerr := netip.ParseAddr(a)
			if aerr != nil {
				return nil, fmt.Errorf("%q is neither a network (10.0.0.0/8) nor an address (192.0.2.7)", a)
			}
			p = netip.PrefixFrom(addr, addr.BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
