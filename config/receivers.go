package config

import (
	"fmt"
	"net"
	"net/netip"
	"time"
)

// Receivers configures omsd as a print server for upstream hosts: the
// network receivers (LPD, IPP) and the queues they take jobs on. Each
// queue names the workflow its jobs run, as a hot folder does.
type Receivers struct {
	Queues []ReceiverQueue `yaml:"queues"`
	// DefaultQueue takes the jobs sent to a queue name that is empty or
	// not configured; empty: such jobs are refused.
	DefaultQueue string      `yaml:"default_queue"`
	LPD          LPDReceiver `yaml:"lpd"`
}

// ReceiverQueue is a queue the receivers offer (an LPD queue name, an IPP
// printer path): its jobs run Workflow, with defaults for what the sender
// leaves out.
type ReceiverQueue struct {
	Name     string `yaml:"name"`
	Workflow string `yaml:"workflow"`
	// JobName and User are used when the sender names no job or user.
	JobName string `yaml:"job_name"`
	User    string `yaml:"user"`
	// Metadata are job metadata fields; the sender's own fields win.
	Metadata map[string]string `yaml:"metadata"`
	// Hold keeps received jobs held until an operator releases them.
	Hold bool `yaml:"hold"`
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
	if r.DefaultQueue != "" && !seen[r.DefaultQueue] {
		bad("receivers.default_queue %q is not one of receivers.queues", r.DefaultQueue)
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
	if len(r.Queues) == 0 {
		bad("receivers.lpd is on but receivers.queues is empty: add a queue naming a workflow")
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

// Queue returns the queue that takes jobs sent to name: the queue of that
// name, else the default queue; false when neither exists.
func (r Receivers) Queue(name string) (ReceiverQueue, bool) {
	for _, q := range r.Queues {
		if q.Name == name {
			return q, true
		}
	}
	if r.DefaultQueue != "" && r.DefaultQueue != name {
		return r.Queue(r.DefaultQueue)
	}
	return ReceiverQueue{}, false
}
