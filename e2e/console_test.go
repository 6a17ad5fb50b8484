package e2e

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/bcrypt"

	"github.com/omsd/omsd/api"
)

// consolePassword is the test admin's password.
const consolePassword = "console-test-pw"

// browser starts Debian's chromium for a test, accepting the console's
// self-signed certificate, with a tablet-sized window, in the time zone
// Europe/Berlin (the console shows times in the browser's zone).
func browser(t *testing.T) context.Context {
	t.Helper()
	const chromium = "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("%s is missing: install the Debian package chromium (apt-get install chromium)", chromium)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 800),
		chromedp.Flag("ignore-certificate-errors", true), chromedp.Env("TZ=Europe/Berlin"),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true), chromedp.Flag("disable-quic", true))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser, without a timeout on its context
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// browserDeadline bounds one step in the browser. It only ends a hung
// test: chromium beside the other parallel tests on a busy machine once
// took more than two minutes to log in.
const browserDeadline = 5 * time.Minute

// step runs browser actions with a generous deadline.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, browserDeadline)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		body, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
		t.Fatalf("%s: %v\nat %s:\n%s", what, err, loc, body)
	}
}

// waitJS waits until the JavaScript expression is true in the page.
func waitJS(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(browserDeadline), chromedp.WithPollingInterval(100*time.Millisecond))
}

// textOf is the JavaScript for the trimmed text of the element with id.
func textOf(id string) string {
	return fmt.Sprintf("(document.getElementById(%q)||{textContent:''}).textContent.trim()", id)
}

// shots is where the screenshots go: $OMSD_SCREENSHOTS, else a kept
// temporary directory; the test logs it.
func shots(t *testing.T) string {
	dir := os.Getenv("OMSD_SCREENSHOTS")
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "omsd-console-shots-"); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("console screenshots in %s", dir)
	return dir
}

func screenshot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// consoleConfig is the closed-loop configuration with the archive on:
// the mail run's pieces are archived, searchable by name and zip.
func consoleConfig() string {
	const reprint = "    reprint: {mode: auto, cap: 10%}\n"
	if !strings.Contains(loopConfig, reprint) {
		panic("loopConfig changed: put the console's archive settings elsewhere")
	}
	return strings.Replace(loopConfig, reprint, reprint+"    archive: {fields: [zip], text: [name]}\n", 1) + "archive: {}\n"
}

// startConsole starts omsd with the closed-loop configuration and the
// console on a loopback port. With viaOmsctl, the admin ada is added with
// omsctl users add (a bcrypt hash of cost 12, slow under the race
// detector); else the users file is written with cheap hashes for ada
// (admin) and vic (viewer).
func startConsole(t *testing.T, viaOmsctl bool) (*daemon, string) {
	_, port, _ := net.SplitHostPort(freePort(t))
	cfg := consoleConfig() + fmt.Sprintf("console:\n  listen: \":%s\"\n  users_file: users.yaml\n", port)
	d := startDaemon(t, cfg)
	if viaOmsctl {
		cmd := exec.Command(bin.omsctl, "users", "add", "--file", d.path("users.yaml"), "--role", "admin", "ada")
		cmd.Stdin = strings.NewReader(consolePassword + "\n")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("omsctl users add: %v\n%s", err, out)
		}
	} else {
		hash, err := bcrypt.GenerateFromPassword([]byte(consolePassword), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		users := fmt.Sprintf("users:\n  - {name: ada, role: admin, password: %q}\n  - {name: vic, role: viewer, password: %q}\n", hash, hash)
		if err := os.WriteFile(d.path("users.yaml"), []byte(users), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	base := "https://127.0.0.1:" + port
	waitFor(t, time.Minute, "the console to listen", func() bool {
		c, err := net.Dial("tcp", "127.0.0.1:"+port)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	return d, base
}

// TestConsoleInBrowser: an admin logs in with chromium, pauses the printer
// and sees its state change, watches a job go live to completed without
// reloading once the printer resumes, reprints a piece range through the
// confirmation and sees the reprint job, and acknowledges an alarm.
// Screenshots of the overview, a job and a piece preview are kept.
func TestConsoleInBrowser(t *testing.T) {
	t.Parallel()
	d, base := startConsole(t, true)
	ctx := browser(t)
	dir := shots(t)

	step(t, ctx, "log in",
		chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(chromedp.ID("user"), "ada"),
		chromedp.SendKeys(chromedp.ID("password"), consolePassword+"\r"), // Enter submits

		chromedp.WaitVisible(chromedp.ID("h-printers")))

	// Pause the printer: the confirmation says what happens, the state
	// changes on the printers page.
	step(t, ctx, "pause printer out",
		chromedp.Navigate(base+"/printers"),
		chromedp.Click(chromedp.ID("pause-out")),
		chromedp.WaitVisible(chromedp.ID("consequence")),
		waitJS(textOf("consequence")+".startsWith('Pause printer out')"),
		// the confirmation's button has the focus: Enter confirms
		waitJS("document.activeElement && document.activeElement.id === 'confirm'"),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(chromedp.ID("printer-out")),
		waitJS("document.querySelector('#printer-out .pstate').textContent.includes('paused')"))
	screenshot(t, ctx, dir, "printers.png")

	// A run arrives while the printer is paused; its page follows it live.
	pdf, side := mailRun(t, 12)
	drop(t, d.path("hot", "mail"), "run.json", side)
	drop(t, d.path("hot", "mail"), "run.pdf", pdf)
	var id int64
	waitFor(t, 2*time.Minute, "the run to be analysed", func() bool {
		for _, j := range d.jobs() {
			if j.Pieces > 0 {
				id = j.ID
				return true
			}
		}
		return false
	})
	if j := d.job(id); j.State == "completed" {
		t.Fatalf("job %d completed on a paused printer", id)
	}
	step(t, ctx, "open the job",
		chromedp.Navigate(fmt.Sprintf("%s/jobs/%d", base, id)),
		chromedp.WaitVisible(chromedp.ID("jobstate")),
		chromedp.Evaluate[chromedp.Void]("window.notReloaded = true"),
		waitJS("document.querySelector('#livestatus.on') !== null"))
	d.ctl("printer", "resume", "out")
	step(t, ctx, "watch the job complete live",
		waitJS(textOf("jobstate")+" === 'completed' && window.notReloaded === true"),
		// the outputs below the actions follow too
		waitJS("document.querySelector('#outputs tbody td:nth-child(7)').textContent.trim() === 'yes'"))
	if body, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("events"))); !strings.Contains(body, " CET") {
		t.Errorf("the job's events are not in the browser's time zone (CET):\n%s", body)
	}
	screenshot(t, ctx, dir, "job.png")

	// Reprint pieces 2-4 through the confirmation step.
	step(t, ctx, "reprint pieces 2-4",
		chromedp.SendKeys(chromedp.ID("reprint-pieces"), "2-4"),
		chromedp.Click(chromedp.ID("reprint-btn")),
		chromedp.WaitVisible(chromedp.ID("consequence")),
		waitJS(textOf("consequence")+".startsWith('Reprint 3 pieces, ') && "+textOf("consequence")+".includes(' sheets, to out ')"))
	screenshot(t, ctx, dir, "confirm-reprint.png")
	step(t, ctx, "confirm the reprint",
		chromedp.Click(chromedp.ID("confirm")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
		waitJS("document.querySelector('.flash').textContent.includes('Reprint job')"))
	var reprint int64
	for _, j := range d.jobs() {
		if dj := d.job(j.ID); dj.ReprintOf == id {
			reprint = j.ID
		}
	}
	if reprint == 0 {
		t.Fatalf("no reprint job of job %d after the console's reprint", id)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.HasSuffix(loc, fmt.Sprintf("/jobs/%d", reprint)) {
		t.Errorf("after the reprint the browser is at %s; want the reprint job %d", loc, reprint)
	}

	step(t, ctx, "piece preview",
		chromedp.Navigate(fmt.Sprintf("%s/jobs/%d/pieces/2", base, id)),
		waitJS("document.getElementById('preview') && document.getElementById('preview').complete && document.getElementById('preview').naturalWidth > 100"))
	screenshot(t, ctx, dir, "piece.png")

	// An alarm: the line reports piece 4 of the run inserted twice.
	var lines []string
	for s := 1; s <= 12; s++ {
		lines = append(lines, jrfLine(id, s, "40"))
	}
	dropResult(t, d, "a.jrf", append(lines, jrfLine(id, 4, "40"))...)
	waitFor(t, 2*time.Minute, "the alarm", func() bool {
		j := d.job(id)
		return j.Loop != nil && len(j.Loop.Alarms) == 1
	})
	step(t, ctx, "see the alarm on the overview",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.ID("alarms")))
	screenshot(t, ctx, dir, "overview.png")
	step(t, ctx, "a 10-inch tablet, upright", chromedp.EmulateViewport(800, 1280), chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("alarms")))
	screenshot(t, ctx, dir, "overview-tablet.png")
	step(t, ctx, "back to the desk", chromedp.EmulateViewport(1280, 800), chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("alarms")))
	// The line's page: the run held with its alarm, the result file
	// applied, the manifests of the run and its reprint.
	step(t, ctx, "the lines",
		chromedp.Navigate(base+"/lines"),
		chromedp.WaitVisible(chromedp.ID("runs-L1")),
		waitJS(fmt.Sprintf("document.querySelector('#runs-L1 tr.run.alarm[data-job=\"%d\"]') !== null", id)),
		waitJS("document.querySelector('#applied-L1') !== null && document.querySelector('#applied-L1').textContent.includes('a.jrf')"),
		waitJS("document.querySelectorAll('#manifests-L1 tbody tr').length === 2"))
	screenshot(t, ctx, dir, "lines.png")
	step(t, ctx, "the lines on a 10-inch tablet, upright", chromedp.EmulateViewport(800, 1280), chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("runs-L1")))
	screenshot(t, ctx, dir, "lines-tablet.png")
	step(t, ctx, "back to the overview", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("alarms")))
	step(t, ctx, "acknowledge the alarm",
		chromedp.Click(chromedp.CSS("#alarms a.button")),
		chromedp.WaitVisible(chromedp.ID("ackreason")),
		chromedp.SendKeys(chromedp.ID("ackreason"), "second envelope of piece 4 pulled"),
		chromedp.Click(chromedp.ID("ack-btn")),
		chromedp.WaitVisible(chromedp.ID("consequence")),
		waitJS(textOf("consequence")+".startsWith('Acknowledge 1 alarm')"),
		chromedp.Click(chromedp.ID("confirm")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
		waitJS("!document.getElementById('ackreason')"))
	step(t, ctx, "the jobs list", chromedp.Navigate(base+"/jobs"), chromedp.WaitVisible(chromedp.CSS("table.jobs")))
	screenshot(t, ctx, dir, "jobs.png")
	j := d.job(id)
	if j.Loop == nil || len(j.Loop.Alarms) != 0 || len(j.Loop.Acknowledged) != 1 || !strings.Contains(j.Loop.Acknowledged[0], "second envelope") {
		t.Errorf("after the acknowledgement: %+v", j.Loop)
	}
	consoleLinesArchiveReports(t, ctx, d, base, dir, id)
	step(t, ctx, "the audit page", chromedp.Navigate(base+"/audit"), chromedp.WaitVisible(chromedp.ID("audit")))
	screenshot(t, ctx, dir, "audit.png")
	audit := d.ctl("audit")
	for _, want := range []string{"printer.pause", "job.reprint", "job.ack", "login", "archive.get", "archive.reprint"} {
		if !strings.Contains(audit, want) {
			t.Errorf("omsctl audit lacks %s:\n%s", want, audit)
		}
	}
}

// TestConsoleViewerCannotAct: against the real daemon, a viewer's pause is
// refused with 403 and the printer stays as it was; an admin's pause sent
// from another site is refused too; the refusals are in omsctl audit.
func TestConsoleViewerCannotAct(t *testing.T) {
	t.Parallel()
	d, base := startConsole(t, false)
	post := func(user, site string) int {
		jar, _ := cookiejar.New(nil)
		hc := &http.Client{Jar: jar, Timeout: time.Minute, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
		res, err := hc.PostForm(base+"/login", url.Values{"user": {user}, "password": {consolePassword}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		req, _ := http.NewRequest("POST", base+"/printers/out/do/pause", strings.NewReader(""))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", site)
		res, err = hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	paused := func() bool {
		var ps []api.Printer
		if err := json.Unmarshal([]byte(d.ctl("printers", "--json")), &ps); err != nil || len(ps) != 1 {
			t.Fatalf("printers: %v %+v", err, ps)
		}
		return ps[0].Paused
	}
	if code := post("vic", "same-origin"); code != http.StatusForbidden || paused() {
		t.Errorf("a viewer's pause: %d, printer paused %v; want 403 and not paused", code, paused())
	}
	if code := post("ada", "cross-site"); code != http.StatusForbidden || paused() {
		t.Errorf("an admin's cross-site pause: %d, printer paused %v; want 403 and not paused", code, paused())
	}
	if code := post("ada", "same-origin"); code != http.StatusOK || !paused() {
		t.Errorf("an admin's pause (redirected to the printers page): %d, paused %v", code, paused())
	}
	var entries []api.AuditEntry
	if err := json.Unmarshal([]byte(d.ctl("audit", "--action", "printer.pause", "--json")), &entries); err != nil || len(entries) != 2 ||
		entries[0].User != "vic" || entries[0].Result != "denied" || entries[1].User != "ada" || entries[1].Result != "ok" {
		t.Errorf("omsctl audit: %v %+v", err, entries)
	}
}

// TestConsoleAfterReload: omsctl reload starts the console again on the
// same address; a session from before the reload has ended.
func TestConsoleAfterReload(t *testing.T) {
	t.Parallel()
	d, base := startConsole(t, false)
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: time.Minute, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := hc.PostForm(base+"/login", url.Values{"user": {"vic"}, "password": {consolePassword}})
	if err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %v %v", err, res)
	}
	res.Body.Close()
	d.ctl("reload")
	// The login page sends a logged-in user to the overview (303); the
	// console started again knows no session and shows it (200).
	waitFor(t, time.Minute, "the console started again", func() bool {
		res, err := hc.Get(base + "/login")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	})
	res, err = hc.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Errorf("the overview after the reload with the old session: %d %s; want the login", res.StatusCode, res.Header.Get("Location"))
	}
}

// consoleLinesArchiveReports: the job's page shows its manifests and
// result file; the archive finds a piece by name, its page downloads
// the archived PDF and reprints it through the confirmation; the reports
// page draws its chart. Each page is kept as a screenshot.
func consoleLinesArchiveReports(t *testing.T, ctx context.Context, d *daemon, base, dir string, id int64) {
	t.Helper()
	step(t, ctx, "the job's line files",
		chromedp.Navigate(fmt.Sprintf("%s/jobs/%d", base, id)),
		chromedp.WaitVisible(chromedp.ID("manifests")),
		waitJS("document.querySelector('#resultfiles tbody').textContent.includes('a.jrf')"),
		waitJS(fmt.Sprintf("document.querySelector('#manifests tbody').textContent.includes('job%06d-')", id)))
	screenshot(t, ctx, dir, "job-closeout.png")

	waitFor(t, 2*time.Minute, "piece 3 in the archive", func() bool {
		return strings.Contains(d.ctl("archive", "search", "text=Customer 3"), "Customer 3")
	})
	step(t, ctx, "search the archive by name",
		chromedp.Navigate(base+"/archive"),
		chromedp.SendKeys(chromedp.ID("a-name"), "Customer 3\r"),
		chromedp.WaitVisible(chromedp.ID("archive-results")),
		waitJS("document.querySelectorAll('#archive-results tr.arec').length >= 1"))
	screenshot(t, ctx, dir, "archive.png")
	step(t, ctx, "an archived piece: download and reprint",
		chromedp.Click(chromedp.CSS("#archive-results tr.arec a")),
		chromedp.WaitVisible(chromedp.ID("download")),
		chromedp.Evaluate[chromedp.Void]("fetch(document.getElementById('download').href).then(r => r.text()).then(t => { window.dl = t.slice(0, 5) })"),
		waitJS("window.dl === '%PDF-'"))
	screenshot(t, ctx, dir, "archive-piece.png")
	before := len(d.jobs())
	step(t, ctx, "reprint from the archive",
		chromedp.Click(chromedp.ID("ar-btn")),
		chromedp.WaitVisible(chromedp.ID("consequence")),
		waitJS(textOf("consequence")+".startsWith('Reprint the archived piece of job ')"),
		chromedp.Click(chromedp.ID("confirm")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
		waitJS("document.querySelector('.flash').textContent.includes('submitted')"))
	if after := len(d.jobs()); after != before+1 {
		t.Errorf("the reprint from the archive made %d jobs; want 1", after-before)
	}
	step(t, ctx, "the reports",
		chromedp.Navigate(base+"/reports?kind=volumes&by=day"),
		waitJS("document.getElementById('chart') && document.getElementById('chart').complete && document.getElementById('chart').naturalWidth > 100"),
		waitJS("document.querySelectorAll('#report tbody tr').length >= 1 && document.querySelector('#report tfoot').textContent.includes('total')"))
	screenshot(t, ctx, dir, "reports.png")
	step(t, ctx, "the archive on a 10-inch tablet, upright", chromedp.EmulateViewport(800, 1280),
		chromedp.Navigate(base+"/archive?name=Customer"), chromedp.WaitVisible(chromedp.ID("archive-results")))
	screenshot(t, ctx, dir, "archive-tablet.png")
	step(t, ctx, "back to the desk", chromedp.EmulateViewport(1280, 800), chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("archive-results")))
}
