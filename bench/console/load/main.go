// Command load measures the web console of a running omsd: the overview's
// time in the server (its Server-Timing header) and at the client, against
// the local API's answers carrying the same data (status, printers, jobs)
// over the unix socket; then with SSE clients connected, how long each
// takes to see the events of a submitted job.
//
//	load -url https://127.0.0.1:8443 -user U -password P -socket omsd.sock [-n 200] [-sse 50] [-jobs 5]
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/client"
	"github.com/omsd/omsd/internal/pdftest"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	base := fs.String("url", "", "the console's base URL")
	user := fs.String("user", "", "a console user")
	password := fs.String("password", "", "its password")
	socket := fs.String("socket", "", "omsd's socket")
	n := fs.Int("n", 200, "overview requests per measurement")
	sse := fs.Int("sse", 50, "event stream clients")
	jobs := fs.Int("jobs", 5, "jobs submitted while the streams listen")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *base == "" || *user == "" || *socket == "" {
		return errors.New("usage: load -url URL -user U -password P -socket SOCK")
	}
	hc, err := login(*base, *user, *password)
	if err != nil {
		return err
	}
	api := &client.Client{Socket: *socket}
	ctx := context.Background()

	fmt.Printf("overview, %d requests, no stream connected:\n", *n)
	srv, cli, err := overview(hc, *base, *n)
	if err != nil {
		return err
	}
	report("  console GET / (server)", srv)
	report("  console GET / (client, TLS)", cli)
	ref, err := reference(ctx, api, *n)
	if err != nil {
		return err
	}
	report("  local API status+printers+jobs (client, socket)", ref)

	streams, err := openStreams(*base, hc, *sse)
	if err != nil {
		return err
	}
	defer streams.close()
	fmt.Printf("%d event streams connected\n", *sse)
	lat, missed, err := submitAndWatch(ctx, api, streams, *jobs)
	if err != nil {
		return err
	}
	report(fmt.Sprintf("  submit to first event of the job, %d jobs x %d streams", *jobs, *sse), lat)
	fmt.Printf("  events missed by a stream: %d\n", missed)
	fmt.Printf("overview, %d requests, %d streams connected:\n", *n, *sse)
	srv, cli, err = overview(hc, *base, *n)
	if err != nil {
		return err
	}
	report("  console GET / (server)", srv)
	report("  console GET / (client, TLS)", cli)
	return nil
}

// login returns a client holding a session of user.
func login(base, user, password string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: time.Minute, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, // the console's self-signed certificate, on loopback
	}}
	res, err := hc.PostForm(base+"/login", url.Values{"user": {user}, "password": {password}})
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	u, _ := url.Parse(base)
	if len(jar.Cookies(u)) == 0 {
		return nil, fmt.Errorf("login as %s failed: %s", user, res.Status)
	}
	return hc, nil
}

// overview fetches the overview n times (after 5 to warm up) and returns
// the server's and the client's times.
func overview(hc *http.Client, base string, n int) (server, client []time.Duration, err error) {
	for i := range n + 5 {
		start := time.Now()
		res, err := hc.Get(base + "/")
		if err != nil {
			return nil, nil, err
		}
		var buf bytes.Buffer
		buf.ReadFrom(res.Body)
		res.Body.Close()
		took := time.Since(start)
		if res.StatusCode != http.StatusOK || !strings.Contains(buf.String(), `id="printers"`) {
			return nil, nil, fmt.Errorf("overview: %s", res.Status)
		}
		st := res.Header.Get("Server-Timing")
		ms, err := strconv.ParseFloat(strings.TrimPrefix(st, "app;dur="), 64)
		if err != nil {
			return nil, nil, fmt.Errorf("overview: Server-Timing %q", st)
		}
		if i >= 5 {
			server = append(server, time.Duration(ms*float64(time.Millisecond)))
			client = append(client, took)
		}
	}
	return server, client, nil
}

// reference reads the overview's data from the local API n times.
func reference(ctx context.Context, c *client.Client, n int) ([]time.Duration, error) {
	var out []time.Duration
	for range n {
		start := time.Now()
		if _, err := c.Status(ctx); err != nil {
			return nil, err
		}
		if _, err := c.Printers(ctx); err != nil {
			return nil, err
		}
		if _, err := c.Jobs(ctx, api.JobQuery{}); err != nil {
			return nil, err
		}
		out = append(out, time.Since(start))
	}
	return out, nil
}

// streams are event stream clients, each on its own connection.
type streams struct {
	mu     sync.Mutex
	seen   []map[int64]time.Time // per stream: job -> first event
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func openStreams(base string, hc *http.Client, n int) (*streams, error) {
	ctx, cancel := context.WithCancel(context.Background())
	s := &streams{cancel: cancel}
	u, _ := url.Parse(base)
	ready := make(chan error, n)
	for i := range n {
		s.seen = append(s.seen, map[int64]time.Time{})
		c := &http.Client{Jar: hc.Jar, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u.JoinPath("/events").String(), nil)
		s.wg.Go(func() { s.read(c, req, i, ready) })
	}
	for range n {
		if err := <-ready; err != nil {
			s.close()
			return nil, err
		}
	}
	return s, nil
}

// read follows one stream, noting when each job's first event came.
func (s *streams) read(c *http.Client, req *http.Request, i int, ready chan<- error) {
	res, err := c.Do(req)
	if err != nil {
		ready <- err
		return
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		ready <- fmt.Errorf("events: %s", res.Status)
		return
	}
	sc := bufio.NewScanner(res.Body)
	first := true
	for sc.Scan() {
		line := sc.Text()
		if first && strings.HasPrefix(line, "retry:") {
			first = false
			ready <- nil
			continue
		}
		rest, ok := strings.CutPrefix(line, `data: {"job":`)
		if !ok {
			continue
		}
		num, _, _ := strings.Cut(rest, ",")
		job, _ := strconv.ParseInt(num, 10, 64)
		s.mu.Lock()
		if _, had := s.seen[i][job]; !had {
			s.seen[i][job] = time.Now()
		}
		s.mu.Unlock()
	}
}

func (s *streams) close() {
	s.cancel()
	s.wg.Wait()
}

// submitAndWatch submits jobs one after another and returns, for every
// stream and job, the time from the submit to the stream's first event of
// the job, and how many (stream, job) pairs saw none.
func submitAndWatch(ctx context.Context, c *client.Client, s *streams, n int) ([]time.Duration, int, error) {
	var pdf bytes.Buffer
	if err := pdftest.Write(&pdf, pdftest.Options{Pieces: []int{1, 2, 1}}); err != nil {
		return nil, 0, err
	}
	sent := map[int64]time.Time{}
	for i := range n {
		start := time.Now()
		j, err := c.Submit(ctx, api.SubmitOptions{Name: fmt.Sprintf("load-%d.pdf", i)}, bytes.NewReader(pdf.Bytes()))
		if err != nil {
			return nil, 0, err
		}
		sent[j.ID] = start
	}
	deadline := time.Now().Add(time.Minute)
	for {
		s.mu.Lock()
		all := true
		for _, seen := range s.seen {
			for id := range sent {
				if _, ok := seen[id]; !ok {
					all = false
				}
			}
		}
		s.mu.Unlock()
		if all || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	var lat []time.Duration
	missed := 0
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, seen := range s.seen {
		for id, at := range sent {
			if t, ok := seen[id]; ok {
				lat = append(lat, t.Sub(at))
			} else {
				missed++
			}
		}
	}
	return lat, missed, nil
}

// report prints the median, 95th percentile and maximum of ds.
func report(what string, ds []time.Duration) {
	if len(ds) == 0 {
		fmt.Printf("%s: no samples\n", what)
		return
	}
	slices.Sort(ds)
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
	fmt.Printf("%s: median %s, p95 %s, max %s (n=%d)\n", what, ms(ds[len(ds)/2]), ms(ds[len(ds)*95/100]), ms(ds[len(ds)-1]), len(ds))
}
