package lpd

import (
	"context"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
)

// FuzzParseControl: any bytes parse without panic; what a control file
// prints, written back as print lines, parses to the same files.
func FuzzParseControl(f *testing.F) {
	f.Add([]byte(control))
	f.Add([]byte("Hhost\nPuser\nldfA001host\nldfA001host\nNb\nfdfB001host\n"))
	f.Add([]byte("-o a=b\x1cc d=e\n-o\n-o=x\nl\n\r\n"))
	f.Add([]byte("J\x00\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseControl(b)
		if err != nil {
			return
		}
		var again strings.Builder
		seen := map[string]bool{}
		for _, ref := range c.Files {
			if seen[ref.Name] || ref.Copies < 1 || ref.Name == "" {
				t.Fatalf("files %+v: a name twice, empty, or without copies", c.Files)
			}
			seen[ref.Name] = true
			for range ref.Copies {
				again.WriteString(string(ref.Format) + ref.Name + "\n")
			}
		}
		c2, err := ParseControl([]byte(again.String()))
		if err != nil {
			t.Fatalf("written back: %v", err)
		}
		if len(c2.Files) != len(c.Files) {
			t.Fatalf("written back: %d files, want %d", len(c2.Files), len(c.Files))
		}
		for i := range c.Files {
			if c2.Files[i].Name != c.Files[i].Name || c2.Files[i].Copies != c.Files[i].Copies {
				t.Fatalf("written back: %+v, want %+v", c2.Files[i], c.Files[i])
			}
		}
	})
}

// FuzzSession: any bytes a sender sends end the session without panic,
// and leave no staged file; every job kept is whole (the fake spool only
// keeps bodies read to their end).
func FuzzSession(f *testing.F) {
	f.Add([]byte("\x02stmts\n\x0220 cfA1h\nPa\nldfA1h\nJjob\n\x00\x034 dfA1h\nabcd\x00"))
	f.Add([]byte("\x02\n\x034 dfA1h\nabcd\x00\x0211 cfA1h\nldfA1h\nPa\n\x00"))
	f.Add([]byte("\x02stmts\n\x034 dfA1h\nab\x01\n\x030 dfB1h\nrest of the stream"))
	f.Add([]byte("\x03stmts alice 3\n"))
	f.Add([]byte("\x04hold\n"))
	f.Add([]byte("\x05stmts root 1 alice\n"))
	f.Add([]byte("\x01stmts\n"))
	f.Add([]byte("\x02stmts\n\x0299999999 cfA\n"))
	f.Add([]byte("\x02stmts\n\x03x dfA\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		rcv := testReceivers()
		rcv.LPD.IdleTimeout = config.Duration(200 * time.Millisecond)
		rcv.LPD.MaxDocument = 4096
		sp := &spool{}
		stage := t.TempDir()
		s, err := New(&config.Config{Receivers: rcv}, stage, sp, sp, zerolog.Nop())
		if err != nil {
			t.Fatal(err)
		}
		srv, cli := net.Pipe()
		done := make(chan struct{})
		go func() {
			defer close(done)
			defer srv.Close()
			s.serveConn(context.Background(), pipeConn{srv})
		}()
		go io.Copy(io.Discard, cli)
		cli.SetWriteDeadline(time.Now().Add(time.Second))
		cli.Write(in)
		cli.Close()
		<-done
		if es, _ := os.ReadDir(stage); len(es) != 0 {
			t.Fatalf("%d staged files left", len(es))
		}
	})
}

// pipeConn gives a pipe a TCP-like remote address.
type pipeConn struct{ net.Conn }

func (pipeConn) RemoteAddr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 721} }
