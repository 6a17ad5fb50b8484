package config

import (
	"net"
	"strconv"
)

// DefaultMetricsHost is the host a metrics.listen address without one
// binds to: loopback, so that nothing is exposed unless asked for.
const DefaultMetricsHost = "127.0.0.1"

// Metrics configures the Prometheus endpoint. /metrics is always served on
// the local API socket; Listen adds a TCP listener for a Prometheus server.
type Metrics struct {
	// Listen is the TCP address of /metrics ("127.0.0.1:9464", or ":9464"
	// for loopback on that port); empty means no TCP listener.
	Listen string `yaml:"listen"`
	// TokenFile holds a bearer token that scrapes over TCP must present;
	// empty means none is asked for.
	TokenFile string `yaml:"token_file"`
	// SheetsPerMinute is the speed a printer is assumed to print at, for
	// deadline predictions, until omsd measured it (default
	// DefaultSheetsPerMinute).
	SheetsPerMinute int `yaml:"sheets_per_minute"`
}

// DefaultSheetsPerMinute is the printer speed assumed when
// metrics.sheets_per_minute is not set.
const DefaultSheetsPerMinute = 60

// AssumedSheetsPerMinute is the speed assumed of an unmeasured printer.
func (m Metrics) AssumedSheetsPerMinute() int {
	if m.SheetsPerMinute > 0 {
		return m.SheetsPerMinute
	}
	return DefaultSheetsPerMinute
}

// ListenAddr is the address to listen on: Listen with the loopback host
// when it names none; "" when the TCP listener is off.
func (m Metrics) ListenAddr() string {
	if m.Listen == "" {
		return ""
	}
	host, port, err := net.SplitHostPort(m.Listen)
	if err != nil {
		return m.Listen
	}
	if host == "" {
		host = DefaultMetricsHost
	}
	return net.JoinHostPort(host, port)
}

func (c *Config) validateMetrics(bad func(string, ...any)) {
	c.validateDeadlines(bad)
	m := c.Metrics
	if m.SheetsPerMinute < 0 {
		bad("metrics.sheets_per_minute is %d; give a printer's speed in sheets a minute, e.g. 60", m.SheetsPerMinute)
	}
	if m.Listen == "" {
		if m.TokenFile != "" {
			bad("metrics.token_file is set but metrics.listen is not; set metrics.listen (e.g. 127.0.0.1:9464) or remove the token file")
		}
		return
	}
	_, port, err := net.SplitHostPort(m.Listen)
	if err != nil {
		bad("metrics.listen is %q: %v; write HOST:PORT, e.g. 127.0.0.1:9464", m.Listen, err)
		return
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		bad("metrics.listen is %q: the port must be a number from 0 to 65535", m.Listen)
	}
}
