package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/internal/testpeer"
	"github.com/omsd/omsd/records"
)

// freePort returns a loopback TCP address nobody listens on now, and that
// no other test of this run is given (testpeer.FreePort).
func freePort(t *testing.T) string {
	t.Helper()
	return "127.0.0.1:" + strconv.Itoa(testpeer.FreePort(t))
}

// scrape GETs /metrics over TCP with token ("" for none) and returns the
// status and body.
func scrape(t *testing.T, addr, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/metrics", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("scraping %s: %v", addr, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// scrapeSocket GETs /metrics on the daemon's API socket.
func (d *daemon) scrapeSocket() string {
	d.t.Helper()
	c := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", d.socket())
	}}}
	resp, err := c.Get("http://omsd/metrics")
	if err != nil {
		d.t.Fatalf("scraping the socket: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		d.t.Fatalf("scraping the socket: %s: %s", resp.Status, b)
	}
	return string(b)
}

// sample is the value of the series in a text exposition whose name and
// labels are exactly series (labels in the exposition's order), or -1.
func sample(expo, series string) float64 {
	sc := bufio.NewScanner(strings.NewReader(expo))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), series+" ")
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(strings.Fields(rest)[0], 64)
		if err == nil {
			return v
		}
	}
	return -1
}

// promtoolCheck runs `promtool check metrics` on an exposition.
func promtoolCheck(t *testing.T, expo string) {
	t.Helper()
	cmd := exec.Command(testpeer.Promtool(t), "check", "metrics")
	cmd.Stdin = strings.NewReader(expo)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}

// TestMetricsLiveDaemon: a closed-loop run with damaged pieces (and so a
// reprint) through a daemon; its /metrics, over TCP with the bearer token
// and on the API socket, passes `promtool check metrics`, and its figures
// are those of the run's own report.
func TestMetricsLiveDaemon(t *testing.T) {
	t.Parallel()
	addr := freePort(t)
	token := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(token, []byte("t0ken\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	d := startDaemon(t, loopConfig+fmt.Sprintf("metrics: {listen: %q, token_file: %q}\n", addr, token))
	const n = 60
	pdf, side := mailRun(t, n)
	drop(t, d.path("hot", "mail"), "run.json", side)
	drop(t, d.path("hot", "mail"), "run.pdf", pdf)
	line := newLineSim(t, d, "line/in", "line/results", "out")
	_, pieces := line.nextRun(90 * time.Second)
	damaged := map[int]bool{pieces[3].id: true, pieces[17].id: true}
	twice := append(slices.Clone(pieces), pieces[30]) // inserted twice: an integrity alarm
	line.writeResults("run-1.jrf", twice, func(p simPiece) string {
		if damaged[p.id] {
			return records.EventDamaged
		}
		return records.EventInserted
	})
	root := pieces[0].job
	waitFor(t, 30*time.Second, "the alarm in /metrics", func() bool {
		expo := d.scrapeSocket()
		return sample(expo, "omsd_integrity_alarms_open") == 1 && sample(expo, "omsd_integrity_alarms_total") == 1
	})
	d.ctl("job", "ack", fmt.Sprint(root), "--reason", "the second envelope pulled")
	_, again := line.nextRun(60 * time.Second)
	line.writeResults("run-2.jrf", again, nil)
	waitFor(t, 30*time.Second, "the run to close", func() bool { return d.report(root).Loop == "closed" })
	rep := d.report(root)

	if code, _ := scrape(t, addr, ""); code != http.StatusUnauthorized {
		t.Errorf("a scrape without the token: %d; want 401", code)
	}
	// The gauges read from the spool are at most 5 s old: wait for the
	// acknowledgement to show.
	var code int
	var expo string
	waitFor(t, 30*time.Second, "the acknowledged alarm in /metrics", func() bool {
		code, expo = scrape(t, addr, "t0ken")
		return code != http.StatusOK || sample(expo, "omsd_integrity_alarms_open") == 0
	})
	if code != http.StatusOK {
		t.Fatalf("a scrape with the token: %d\n%s", code, expo)
	}
	promtoolCheck(t, expo)
	promtoolCheck(t, d.scrapeSocket())

	reprinted, reprintEnvelopes := 0, 0
	for _, r := range rep.Reprints {
		reprinted += r.Pieces
		reprintEnvelopes += r.Envelopes
	}
	for series, want := range map[string]int{
		`omsd_pieces_total{state="completed",workflow="mail"}`:       n + reprinted,
		`omsd_envelopes_total{state="completed",workflow="mail"}`:    rep.Envelopes + reprintEnvelopes,
		`omsd_reprints_total{reason="line"}`:                         len(rep.Reprints),
		`omsd_reprinted_pieces_total{reason="line"}`:                 reprinted,
		`omsd_result_events_total{disposition="damaged",line="L1"}`:  2,
		`omsd_result_events_total{disposition="inserted",line="L1"}`: n - len(damaged) + 1 + lettersOf(again),
		`omsd_jobs{state="completed"}`:                               1 + len(rep.Reprints),
		`omsd_printer_sends_total{printer="out"}`:                    1 + len(rep.Reprints),
		`omsd_job_stage_duration_seconds_count{stage="total"}`:       1 + len(rep.Reprints),
		`omsd_printer_state{printer="out",state="idle"}`:             1,
		`omsd_integrity_alarms_open`:                                 0,
	} {
		if got := sample(expo, series); got != float64(want) {
			t.Errorf("%s = %v; want %d", series, got, want)
		}
	}
	spent := 0.0
	for _, line := range strings.Split(expo, "\n") {
		if strings.HasPrefix(line, "omsd_postage_spent_minor_units_total{") {
			v, _ := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
			spent += v
		}
	}
	if want := cents(t, rep.PostageTotal); spent != want || spent == 0 {
		t.Errorf("postage spent %v cents; the run's report says %s", spent, rep.PostageTotal)
	}
	if strings.Contains(expo, "Customer") || strings.Contains(expo, "job=") {
		t.Error("a job or a recipient is in a label")
	}
	d.ctl("printer", "pause", "out")
	waitFor(t, 30*time.Second, "the paused printer in /metrics", func() bool {
		expo := d.scrapeSocket()
		return sample(expo, `omsd_printer_state{printer="out",state="paused"}`) == 1 &&
			sample(expo, `omsd_printer_state{printer="out",state="idle"}`) == 0
	})
}

// lettersOf counts the letters of the pieces: a line's result names an
// envelope, and is a piece event for each of its letters.
func lettersOf(pieces []simPiece) int {
	n := 0
	for _, p := range pieces {
		n += len(p.seqs)
	}
	return n
}

// cents reads an amount such as "12.34" as cents.
func cents(t *testing.T, s string) float64 {
	t.Helper()
	whole, frac, _ := strings.Cut(s, ".")
	frac = (frac + "00")[:2]
	v, err := strconv.Atoi(whole + frac)
	if err != nil {
		t.Fatalf("amount %q: %v", s, err)
	}
	return float64(v)
}
