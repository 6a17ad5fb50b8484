package receiver

import (
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
)

func TestOptionsSenderWins(t *testing.T) {
	q := config.ReceiverQueue{Name: "q", Workflow: "w", JobName: "stmts", User: "batch", Hold: true,
		Metadata: map[string]string{"channel": "print", "form": "A"}}
	opt := Options(q, "lpd", "lpd 127.0.0.1:721", Sent{User: "alice", Metadata: map[string]string{"form": "B"}})
	if opt.Name != "stmts" || opt.User != "alice" || opt.Workflow != "w" || !opt.Hold || opt.Source != "lpd" {
		t.Errorf("options = %+v", opt)
	}
	if opt.Metadata["channel"] != "print" || opt.Metadata["form"] != "B" {
		t.Errorf("metadata = %v, want the queue's channel and the sender's form", opt.Metadata)
	}
	if q.Metadata["form"] != "A" {
		t.Error("the queue's metadata was changed")
	}
}

func TestGuardRefusesOutsideAllowAndAboveLimit(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	g := NewGuard("lpd", []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}, 1, []string{"q"}, zerolog.Nop())
	gl := g.Listen(ln)
	accepted := make(chan net.Conn, 4)
	go func() {
		for {
			c, err := gl.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	c1, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close()
	first := <-accepted
	c2, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	c2.SetReadDeadline(time.Now().Add(30 * time.Second))
	if _, err := c2.Read(make([]byte, 1)); err == nil {
		t.Fatal("a connection above max_connections was served")
	}
	if st := g.Status(); st.Refused[RefusedTooMany] != 1 || st.Accepted != 1 || st.Open != 1 {
		t.Errorf("status = %+v", st)
	}
	first.Close()
	c3, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c3.Close()
	(<-accepted).Close()

	other := NewGuard("lpd", []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, 1, nil, zerolog.Nop())
	if other.Allowed(c3.LocalAddr()) {
		t.Error("127.0.0.1 allowed by 10.0.0.0/8")
	}
	if !g.Allowed(&net.TCPAddr{IP: net.ParseIP("::ffff:127.0.0.1"), Port: 1}) {
		t.Error("an IPv4-mapped loopback address was not allowed")
	}
}
