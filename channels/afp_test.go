package channels

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/events"
	"github.com/omsd/omsd/internal/afptest"
	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/internal/testpeer"
	"github.com/omsd/omsd/spool"
)

// TestAFPPiecesAsPDF: an AFP workflow's pieces are e-mailed and dropped
// into the portal as PDF (the print file rendered by afp/topdf), each
// with its own pages and metadata; a refused one falls back to a print
// job of the PDF fallback workflow.
func TestAFPPiecesAsPDF(t *testing.T) {
	mp := testpeer.StartMailpit(t, "--smtp-allowed-recipients", `@example\.com$`)
	dir := t.TempDir()
	var run bytes.Buffer
	truth, err := afptest.Write(&run, afptest.Options{Pages: 40, TextBytes: 200})
	if err != nil {
		t.Fatal(err)
	}
	if len(truth.Pieces) < 3 {
		t.Fatalf("the run has %d pieces", len(truth.Pieces))
	}
	p1, p2, p3 := truth.Pieces[0], truth.Pieces[1], truth.Pieces[2]
	prefs := fmt.Sprintf("%s,email,a@example.com\n%s,email,gone@bounce.test\n%s,portal\n", p1.Value("ACCOUNT"), p2.Value("ACCOUNT"), p3.Value("ACCOUNT"))
	os.WriteFile(filepath.Join(dir, "prefs.csv"), []byte(prefs), 0o644)
	cfg, err := config.Parse([]byte(fmt.Sprintf(`version: 1
state_dir: %s
printers:
  - {name: file, driver: file, file: {dir: out}}
workflows:
  - name: afpmail
    format: afp
    printer: file
    pieces: {method: pagegroups}
    channels:
      preferences: prefs.csv
      customer_field: ACCOUNT
      fallback_workflow: pdfprint
      portal: {dir: portal}
      email:
        host: 127.0.0.1
        port: %d
        ca_file: %s
        from: "Statements <noreply@bank.test>"
        subject: "Statement {{.Meta.ACCOUNT}}"
        text: "Dear {{.Meta.NAME}}"
        attempts: 1
  - name: pdfprint
    format: pdf
    printer: file
    pieces: {method: sidecar}
`, dir, mp.SMTPPort, mp.CAFile)))
	if err != nil {
		t.Fatal(err)
	}
	store, err := spool.Open(filepath.Join(dir, "spool"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	pub, _ := events.NewPublisher(store, zerolog.Nop())
	s, err := New(cfg, store, pub, events.NewSignal(), events.NewSignal(), zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{s: s, store: store, mp: mp, dir: dir}
	j, err := pub.CreateJob(spool.Job{Name: "run.afp", Workflow: "afpmail", Printer: "file", State: spool.Pending,
		StateReasons: []string{"job-queued"}, Source: "api", Input: "input.afp"})
	if err != nil {
		t.Fatal(err)
	}
	jdir, _ := store.MakeJobDir(j.ID)
	os.WriteFile(filepath.Join(jdir, "input.afp"), run.Bytes(), 0o644)
	j = r.analyse(t, j)
	r.passUntil(t, "the deliveries", func() bool { return r.allIn(t, j.ID, spool.DeliveryDelivered, spool.DeliveryFellBack) })
	ds := r.deliveries(t, j.ID)
	if len(ds) != 3 || ds[1].State != spool.DeliveryDelivered || ds[2].State != spool.DeliveryFellBack || ds[3].State != spool.DeliveryDelivered {
		t.Fatalf("deliveries %+v", ds)
	}
	// Piece 1's PDF: its pages, its own text.
	own := filepath.Join(jdir, piecesDir, "piece-1.pdf")
	if texts := pdftest.PageTexts(t, own); len(texts) != p1.Pages {
		t.Errorf("piece 1's PDF has %d pages; want %d", len(texts), p1.Pages)
	}
	msgs := mp.Messages(t)
	if len(msgs) != 1 || msgs[0].Subject != "Statement "+p1.Value("ACCOUNT") {
		t.Fatalf("messages %+v", msgs)
	}
	m := mp.Message(t, msgs[0].ID)
	b, _ := os.ReadFile(own)
	if len(m.Attachments) != 1 || !bytes.Equal(mp.Part(t, msgs[0].ID, m.Attachments[0].PartID), b) {
		t.Error("the attachment is not piece 1's PDF")
	}
	if _, err := os.Stat(filepath.Join(dir, "portal", fmt.Sprintf("%d-3.pdf", j.ID))); err != nil {
		t.Errorf("piece 3 is not in the portal: %v", err)
	}
	fj, err := store.Job(ds[2].FallbackJob)
	if err != nil || fj.Workflow != "pdfprint" || !strings.HasSuffix(fj.Input, ".pdf") {
		t.Fatalf("fallback job %+v %v; want a job of the PDF workflow", fj, err)
	}
	fj = r.analyse(t, fj)
	fp, _ := store.Pieces(fj.ID)
	if len(fp) != 1 || fp[0].Pages != p2.Pages || fp[0].Meta.Get("ACCOUNT") != p2.Value("ACCOUNT") {
		t.Errorf("fallback pieces %+v; want piece 2 (%d pages, account %s)", fp, p2.Pages, p2.Value("ACCOUNT"))
	}
}
