package ipp

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/internal/testpeer"
)

var nopLog = zerolog.Nop()

// newDriver returns a driver for uri that polls quickly.
func newDriver(t *testing.T, cfg Config) *Driver {
	t.Helper()
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 50 * time.Millisecond
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	d, err := New(cfg, nopLog)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// writeFile writes data into a new file and returns its path.
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// recorder collects progress reports; it is safe for concurrent use.
type recorder struct {
	mu      sync.Mutex
	reports []drivers.Progress
}

func (r *recorder) add(p drivers.Progress) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reports = append(r.reports, p)
}

func (r *recorder) all() []drivers.Progress {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]drivers.Progress(nil), r.reports...)
}

func TestSendFormats(t *testing.T) {
	envDir := t.TempDir()
	p := testpeer.StartIPPPrinter(t, testpeer.WithScript(`env | grep '^IPP_' > "`+envDir+`/job-$IPP_JOB_ID.env"; exit 0`))
	d := newDriver(t, Config{URI: p.URI, Sides: "one-sided", Copies: 2, Media: "iso_a4_210x297mm"})
	pdf := testpeer.PDF(2)
	tests := []struct {
		name, docName, format string
		data                  []byte
		keptAs                string // name of the kept file, after the job id
	}{
		{"pdf", "Brief Müller", "application/pdf", pdf, "brief_m_ller.pdf"},
		{"afp", "run", "application/vnd.ibm.modcap", []byte("\x5a\x00\x10\xd3\xa8\xa8"), "run.dat"},
		{"no format, auto-typed", "", "", pdf, "omsd_job_3.pdf"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := drivers.Document{JobID: int64(i + 1), Path: writeFile(t, "doc", tt.data), Name: tt.docName, Format: tt.format, Sheets: 2}
			var rec recorder
			out, err := d.Send(context.Background(), doc, rec.add)
			if out != drivers.OK || err != nil {
				t.Fatalf("Send = %v, %v; want ok", out, err)
			}
			reports := rec.all()
			if len(reports) == 0 || reports[len(reports)-1] != (drivers.Progress{SheetsDone: 2, Sheets: 2, State: "completed", Confirmed: true}) {
				t.Errorf("progress %+v does not end with 2 of 2 sheets completed", reports)
			}
			jobs := p.WaitJobs(t, i+1)
			kept := jobs[i]
			if want := filepath.Join(p.SpoolDir, strconv.Itoa(i+1)+"-"+tt.keptAs); kept != want {
				t.Errorf("printer kept %s, want %s", kept, want)
			}
			if got, err := os.ReadFile(kept); err != nil || !bytes.Equal(got, tt.data) {
				t.Errorf("kept file differs from the document (%d vs %d bytes, %v)", len(got), len(tt.data), err)
			}
			env, err := os.ReadFile(filepath.Join(envDir, "job-"+strconv.Itoa(i+1)+".env"))
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"IPP_COPIES=2", "IPP_MEDIA=iso_a4_210x297mm", "IPP_SIDES=one-sided", "IPP_JOB_ORIGINATING_USER_NAME=omsd"} {
				if !strings.Contains(string(env), want+"\n") {
					t.Errorf("print command did not get %s; it got:\n%s", want, env)
				}
			}
		})
	}
}

func TestStatusIdle(t *testing.T) {
	p := testpeer.StartIPPPrinter(t)
	st, err := newDriver(t, Config{URI: p.URI}).Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.State != "idle" || !st.AcceptingJobs || len(st.Reasons) == 0 || st.MakeModel == "" {
		t.Errorf("Status = %+v, want idle, accepting, with reasons and make and model", st)
	}
}

func TestSendUnsupportedFormat(t *testing.T) {
	p := testpeer.StartIPPPrinter(t)
	doc := drivers.Document{JobID: 1, Path: writeFile(t, "a.txt", []byte("text")), Name: "a", Format: "text/plain"}
	out, err := newDriver(t, Config{URI: p.URI}).Send(context.Background(), doc, nil)
	var serr *StatusError
	if out != drivers.Failed || !errors.As(err, &serr) {
		t.Fatalf("Send = %v, %v; want failed with an IPP status error", out, err)
	}
	if len(p.Jobs(t)) != 0 {
		t.Errorf("printer kept %v, want no job", p.Jobs(t))
	}
}

func TestSendAborted(t *testing.T) {
	p := testpeer.StartIPPPrinter(t, testpeer.WithCommand("/bin/false"))
	doc := drivers.Document{JobID: 1, Path: writeFile(t, "a.pdf", testpeer.PDF(1)), Name: "a", Format: "application/pdf", Sheets: 1}
	out, err := newDriver(t, Config{URI: p.URI}).Send(context.Background(), doc, nil)
	if out != drivers.Failed || !errors.Is(err, ErrJobAborted) {
		t.Fatalf("Send = %v, %v; want failed with ErrJobAborted", out, err)
	}
	if !strings.Contains(err.Error(), "job-state-reasons") {
		t.Errorf("error %q does not name the job-state-reasons", err)
	}
}

func TestUnreachable(t *testing.T) {
	p := testpeer.StartIPPPrinter(t)
	d := newDriver(t, Config{URI: p.URI})
	p.Stop()
	doc := drivers.Document{JobID: 1, Path: writeFile(t, "a.pdf", testpeer.PDF(1)), Format: "application/pdf"}
	out, err := d.Send(context.Background(), doc, nil)
	if out != drivers.Retry || !errors.Is(err, drivers.ErrUnreachable) {
		t.Errorf("Send = %v, %v; want retry with ErrUnreachable", out, err)
	}
	if _, err := d.Status(context.Background()); !errors.Is(err, drivers.ErrUnreachable) {
		t.Errorf("Status error = %v, want ErrUnreachable", err)
	}
}

func TestSendMissingDocument(t *testing.T) {
	d := newDriver(t, Config{URI: "ipp://localhost:1/ipp/print"})
	doc := drivers.Document{JobID: 1, Path: filepath.Join(t.TempDir(), "gone.pdf")}
	if out, err := d.Send(context.Background(), doc, nil); out != drivers.Failed || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Send = %v, %v; want failed with ErrNotExist", out, err)
	}
}

// TestSendProgress has the print command report impressions the way
// printers do, and checks Send passes them on.
func TestSendProgress(t *testing.T) {
	p := testpeer.StartIPPPrinter(t, testpeer.WithScript(
		`echo "ATTR: job-impressions-completed=1" >&2; sleep 1; echo "ATTR: job-impressions-completed=2" >&2; sleep 1; exit 0`))
	doc := drivers.Document{JobID: 1, Path: writeFile(t, "a.pdf", testpeer.PDF(3)), Format: "application/pdf", Sheets: 3}
	var rec recorder
	out, err := newDriver(t, Config{URI: p.URI}).Send(context.Background(), doc, rec.add)
	if out != drivers.OK || err != nil {
		t.Fatalf("Send = %v, %v; want ok", out, err)
	}
	seen := map[int]bool{}
	for _, r := range rec.all() {
		if r.State == "processing" {
			seen[r.SheetsDone] = true
		}
	}
	if !seen[1] || !seen[2] {
		t.Errorf("progress %+v lacks 1 and 2 sheets done while processing", rec.all())
	}
}

// TestSendCancel cancels the context while the printer processes the job
// and checks the job ends canceled at the printer; left alone, the print
// command would complete it.
func TestSendCancel(t *testing.T) {
	p := testpeer.StartIPPPrinter(t, testpeer.WithScript("sleep 3; exit 0"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	doc := drivers.Document{JobID: 1, Path: writeFile(t, "a.pdf", testpeer.PDF(1)), Format: "application/pdf", Sheets: 1}
	out, err := newDriver(t, Config{URI: p.URI}).Send(ctx, doc, func(pr drivers.Progress) {
		if pr.State == "processing" {
			cancel()
		}
	})
	if out != drivers.Cancel || !errors.Is(err, context.Canceled) {
		t.Fatalf("Send = %v, %v; want cancel with context.Canceled", out, err)
	}
	waitJobState(t, p.URI, 1, jobCanceled)
}

// waitJobState asks the printer with ipptool, an independent IPP client,
// until the job has the wanted state (at most 15 seconds).
func waitJobState(t *testing.T, uri string, jobID, state int) {
	t.Helper()
	ipptool, err := exec.LookPath("ipptool")
	if err != nil {
		t.Fatalf("ipptool not found: install the Debian package cups-ipp-utils")
	}
	test := writeFile(t, "job-state.test", []byte(jobStateTest))
	deadline := time.Now().Add(15 * time.Second)
	for {
		out, err := exec.Command(ipptool, "-t", "-d", "jobid="+strconv.Itoa(jobID), "-d", "state="+strconv.Itoa(state), uri, test).CombinedOutput()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d never reached job-state %d: %v\n%s", jobID, state, err, out)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

const jobStateTest = `{
	NAME "job state"
	OPERATION Get-Job-Attributes
	GROUP operation-attributes-tag
	ATTR charset attributes-charset utf-8
	ATTR naturalLanguage attributes-natural-language en
	ATTR uri printer-uri $uri
	ATTR integer job-id $jobid
	ATTR name requesting-user-name $user
	ATTR keyword requested-attributes job-state
	STATUS successful-ok
	EXPECT job-state OF-TYPE enum WITH-VALUE $state
}
`

// TestSendPrinterLost stops the printer while a job is followed.
func TestSendPrinterLost(t *testing.T) {
	p := testpeer.StartIPPPrinter(t, testpeer.WithScript("sleep 5; exit 0"))
	doc := drivers.Document{JobID: 1, Path: writeFile(t, "a.pdf", testpeer.PDF(1)), Format: "application/pdf"}
	var once sync.Once
	out, err := newDriver(t, Config{URI: p.URI}).Send(context.Background(), doc, func(pr drivers.Progress) {
		if pr.State == "processing" {
			once.Do(p.Stop)
		}
	})
	if out != drivers.Retry || !errors.Is(err, drivers.ErrUnreachable) {
		t.Fatalf("Send = %v, %v; want retry with ErrUnreachable", out, err)
	}
}

func TestSendIPPS(t *testing.T) {
	p := testpeer.StartIPPPrinter(t)
	pem, err := os.ReadFile(p.CertFile)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	tests := []struct {
		name    string
		tls     *tls.Config
		want    drivers.Outcome
		wantErr error
	}{
		{"trusted certificate", &tls.Config{RootCAs: roots}, drivers.OK, nil},
		{"system roots reject it", nil, drivers.StopQueue, ErrUntrustedCert},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDriver(t, Config{URI: p.TLSURI(), TLSConfig: tt.tls})
			doc := drivers.Document{JobID: 1, Path: writeFile(t, "a.pdf", testpeer.PDF(1)), Format: "application/pdf"}
			out, err := d.Send(context.Background(), doc, nil)
			if out != tt.want || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("Send = %v, %v; want %v, %v", out, err, tt.want, tt.wantErr)
			}
		})
	}
	if jobs := p.WaitJobs(t, 1); len(jobs) != 1 {
		t.Errorf("printer kept %v, want exactly the one trusted job", jobs)
	}
}

// TestSendAsksForTheJobsCopies: a job's copies reach the printer as the
// copies attribute, times the printer's configured copies.
func TestSendAsksForTheJobsCopies(t *testing.T) {
	envDir := t.TempDir()
	p := testpeer.StartIPPPrinter(t, testpeer.WithScript(`env | grep '^IPP_' > "`+envDir+`/job-$IPP_JOB_ID.env"; exit 0`))
	for i, c := range []struct{ printer, job, want int }{{0, 3, 3}, {2, 3, 6}} {
		d := newDriver(t, Config{URI: p.URI, Copies: c.printer})
		if !d.SendsCopies() {
			t.Fatal("the IPP driver does not make copies itself")
		}
		doc := drivers.Document{JobID: int64(i + 1), Path: writeFile(t, "doc", testpeer.PDF(1)), Name: "copies", Format: "application/pdf", Sheets: 1, Copies: c.job}
		var rec recorder
		if out, err := d.Send(context.Background(), doc, rec.add); out != drivers.OK || err != nil {
			t.Fatalf("Send = %v, %v", out, err)
		}
		p.WaitJobs(t, i+1)
		env, err := os.ReadFile(filepath.Join(envDir, "job-"+strconv.Itoa(i+1)+".env"))
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("IPP_COPIES=%d\n", c.want); !strings.Contains(string(env), want) {
			t.Errorf("printer copies %d, job copies %d: the printer got\n%s\nwant %s", c.printer, c.job, env, want)
		}
	}
}
