package config

import (
	"errors"
	"testing"
)

func TestMetricsListen(t *testing.T) {
	for _, c := range []struct {
		listen, token string
		addr          string
		bad           bool
	}{
		{"", "", "", false},
		{":9464", "", "127.0.0.1:9464", false},
		{"0.0.0.0:9464", "tok", "0.0.0.0:9464", false},
		{"9464", "", "", true},
		{"localhost:http", "", "", true},
		{"", "tok", "", true},
	} {
		cfg := Default()
		cfg.Metrics = Metrics{Listen: c.listen, TokenFile: c.token}
		err := cfg.Validate()
		if c.bad != (err != nil) || (err != nil && !errors.Is(err, ErrInvalid)) {
			t.Errorf("listen %q token %q: %v; want bad=%v", c.listen, c.token, err, c.bad)
			continue
		}
		if !c.bad && cfg.Metrics.ListenAddr() != c.addr {
			t.Errorf("listen %q: address %q; want %q", c.listen, cfg.Metrics.ListenAddr(), c.addr)
		}
	}
}
