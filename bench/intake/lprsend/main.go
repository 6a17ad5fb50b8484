// Command lprsend is the sender of the intake benchmark: many concurrent
// LPD jobs, or one large file, sent to omsd's LPD receiver as RFC 1179
// says (control file first, known length), each acknowledgement awaited.
// With -floor it is instead an HTTP server that discards what it is sent,
// the transport floor curl is timed against.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:5515", "omsd's LPD receiver")
	queue := flag.String("queue", "bench", "LPD queue")
	clients := flag.Int("clients", 200, "concurrent senders")
	size := flag.Int("size", 100<<10, "bytes per job")
	file := flag.String("file", "", "send this file once instead of generated jobs")
	floor := flag.String("floor", "", "serve HTTP on this address and discard every body")
	floorDir := flag.String("floor-dir", "", "with -floor: write each body into this directory and fsync it instead")
	flag.Parse()
	if *floor != "" {
		serveFloor(*floor, *floorDir)
		return
	}
	if *file != "" {
		f, err := os.Open(*file)
		check(err)
		st, err := f.Stat()
		check(err)
		start := time.Now()
		check(send(*addr, *queue, "big", 0, f, st.Size()))
		took := time.Since(start)
		fmt.Printf("one file: %d bytes in %.2f s, %.0f MB/s\n", st.Size(), took.Seconds(), float64(st.Size())/took.Seconds()/1e6)
		return
	}
	data := make([]byte, *size)
	for i := range data {
		data[i] = byte(i)
	}
	var wg sync.WaitGroup
	errs := make(chan error, *clients)
	start := time.Now()
	for i := range *clients {
		wg.Go(func() {
			if err := send(*addr, *queue, fmt.Sprintf("job%03d", i), i+1, byteReader(data), int64(len(data))); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	took := time.Since(start)
	close(errs)
	failed := 0
	for err := range errs {
		failed++
		fmt.Fprintln(os.Stderr, err)
	}
	fmt.Printf("%d clients x %d bytes: %d acknowledged, %d failed, %.2f s, %.0f jobs/s\n",
		*clients, *size, *clients-failed, failed, took.Seconds(), float64(*clients-failed)/took.Seconds())
}

func byteReader(b []byte) io.Reader { return &sliceReader{b: b} }

type sliceReader struct{ b []byte }

func (r *sliceReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}

// send delivers one job: control file, then the data file of n bytes.
// Each job has its own job number seq, as a real sender's.
func send(addr, queue, name string, seq int, data io.Reader, n int64) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Minute))
	r := bufio.NewReader(c)
	w := bufio.NewWriterSize(c, 256<<10)
	ack := func(what string) error {
		if err := w.Flush(); err != nil {
			return err
		}
		b, err := r.ReadByte()
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if b != 0 {
			return fmt.Errorf("%s: refused with %d", what, b)
		}
		return nil
	}
	fmt.Fprintf(w, "\x02%s\n", queue)
	if err := ack("receive job"); err != nil {
		return err
	}
	cf := fmt.Sprintf("Hbench\nPbench\nJ%s\nldfA%03dbench\n", name, seq)
	fmt.Fprintf(w, "\x02%d cfA%03dbench\n", len(cf), seq)
	if err := ack("control subcommand"); err != nil {
		return err
	}
	fmt.Fprintf(w, "%s\x00", cf)
	if err := ack("control file"); err != nil {
		return err
	}
	fmt.Fprintf(w, "\x03%d dfA%03dbench\n", n, seq)
	if err := ack("data subcommand"); err != nil {
		return err
	}
	if _, err := io.Copy(w, data); err != nil {
		return err
	}
	w.WriteByte(0)
	return ack("data file")
}

func serveFloor(addr, dir string) {
	ln, err := net.Listen("tcp", addr)
	check(err)
	fmt.Println(ln.Addr())
	check(http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if dir == "" {
			io.Copy(io.Discard, r.Body)
			return
		}
		f, err := os.CreateTemp(dir, "floor-*")
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		defer os.Remove(f.Name())
		defer f.Close()
		if _, err := io.Copy(f, r.Body); err != nil || f.Sync() != nil {
			http.Error(w, "write failed", 500)
		}
	})))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "lprsend:", err)
		os.Exit(1)
	}
}
