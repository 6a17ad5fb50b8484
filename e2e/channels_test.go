package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/internal/testpeer"
)

// channelsConfig is a planned workflow whose pieces go to print, e-mail
// (through mp, its certificate verified with its CA) or a portal, by
// their metadata or the preference file prefs.csv.
func channelsConfig(mp *testpeer.Mailpit, extra string) string {
	return fmt.Sprintf(`version: 1
printers:
  - {name: out, driver: file, file: {dir: out}}
workflows:
  - name: statements
    printer: out
    pieces: {method: sidecar}
    postage:
      carrier: deutschepost
      duplex: true
      paper: {gsm: 80, width_mm: 210, height_mm: 297}
      envelopes:
        - {name: C6/5, max_sheets: 2, weight_g: 5.0, format: standard, layers: 3}
        - {name: C4, max_sheets: 100, weight_g: 13, format: gross}
      household: {enabled: true, key: [customer_id], max_sheets: 8}
      presort: {enabled: true, origin: "04109"}
      fields: {postal_code: zip, country: country, customer_id: customer_id}
      default_output: main
    channels:
      preferences: prefs.csv
%s      portal: {dir: portal}
      email:
        host: localhost
        port: %d
        ca_file: %s
        username: omsd
        password: secret
        from: "Statements <noreply@bank.test>"
        subject: "Your statement {{.Meta.customer_id}}"
        text: "Dear customer {{.Meta.customer_id}}, your statement is attached."
        attachment: "statement-{{.Meta.customer_id}}.pdf"
        attempts: 3
        backoff: 10ms
hot_folders:
  - {dir: hot/statements, workflow: statements, scan_interval: 200ms}
`, extra, mp.SMTPPort, mp.CAFile)
}

// channelRun is a run of n pieces: piece i (0-based) is e-mailed when
// i%10 < 3 (by its metadata, or for i%10 == 2 by the preference file),
// goes to the portal when 3 <= i%10 < 6 (by the preference file for
// i%10 == 5), and is printed otherwise. The e-mail of piece refuse
// (1-based; 0: none) goes to an address the server refuses.
func channelRun(t *testing.T, n, refuse int) (pdf, sidecar, prefs []byte, emails map[int]string) {
	t.Helper()
	var o pdftest.Options
	var pieces []map[string]any
	var csv bytes.Buffer
	csv.WriteString("customer_id,channel,email\n")
	emails = map[int]string{}
	first := 1
	for i := range n {
		pages := 1 + i%3
		o.Pieces = append(o.Pieces, pages)
		cust := fmt.Sprintf("C%04d", i+1)
		meta := map[string]string{"customer_id": cust, "zip": fmt.Sprintf("%05d", 1067+(i*7919)%98000), "country": "DE"}
		addr := fmt.Sprintf("c%d@example.com", i+1)
		if i+1 == refuse {
			addr = "nobody@bounce.test"
		}
		switch i % 10 {
		case 0, 1:
			meta["channel"], meta["email"] = "email", addr
		case 2:
			fmt.Fprintf(&csv, "%s,email,%s\n", cust, addr)
		case 3, 4:
			meta["channel"] = "portal"
		case 5:
			fmt.Fprintf(&csv, "%s,portal\n", cust)
		}
		if i%10 < 3 {
			emails[i+1] = addr
		}
		pieces = append(pieces, map[string]any{"first_page": first, "pages": pages, "meta": meta})
		first += pages
	}
	sidecar, _ = json.Marshal(map[string]any{"pieces": pieces})
	return pdfBytes(t, o), sidecar, csv.Bytes(), emails
}

// TestChannelsMixedRun: a 50-piece run goes out on three channels. The
// plan holds the 20 printed pieces and shows the postage the 30 digital
// ones saved; every e-mail, read back through mailpit, carries the
// piece's own PDF byte for byte; the portal holds 15 pieces; the piece
// the server refused (550) falls back to a print job that prints; track
// and the close-out show every delivery.
func TestChannelsMixedRun(t *testing.T) {
	t.Parallel()
	mp := testpeer.StartMailpit(t, "--smtp-allowed-recipients", `@example\.com$`)
	cfg := strings.Replace(channelsConfig(mp, ""), "printers:", "archive: {}\nprinters:", 1)
	d := startDaemon(t, cfg)
	pdf, side, prefs, emails := channelRun(t, 50, 11)
	os.WriteFile(d.path("prefs.csv"), prefs, 0o644)
	hot := d.path("hot", "statements")
	drop(t, hot, "run.json", side)
	drop(t, hot, "run.pdf", pdf)
	var js []api.Job
	waitFor(t, 2*time.Minute, "the run and its fallback job to print", func() bool {
		js = d.jobs()
		return len(js) == 2 && js[0].State == "completed" && js[1].State == "completed"
	})
	run, fallback := d.job(js[0].ID), d.job(js[1].ID)
	if js[0].ID > js[1].ID {
		run, fallback = fallback, run
	}
	planned := 0
	for _, p := range run.PiecesDetail {
		if p.Plan != nil {
			planned++
		}
	}
	if planned != 20 {
		t.Errorf("%d pieces planned; want the 20 printed", planned)
	}
	plan := d.ctl("plan", fmt.Sprint(run.ID))
	if !strings.Contains(plan, "digital delivery: 30 pieces left the print run (email 15, portal 15), postage saved") {
		t.Errorf("omsctl plan does not show the postage saved:\n%s", plan)
	}
	var saved struct {
		Digital struct {
			PostageSaved json.Number `json:"postage_saved"`
		}
	}
	json.Unmarshal([]byte(d.ctl("plan", fmt.Sprint(run.ID), "--json")), &saved)
	if s, _ := saved.Digital.PostageSaved.Float64(); s <= 0 {
		t.Errorf("postage saved %q; want more than 0", saved.Digital.PostageSaved)
	}

	// Every e-mail but the refused one, once, with the piece's own PDF.
	waitFor(t, time.Minute, "14 e-mails", func() bool { return len(mp.Messages(t)) >= 14 })
	msgs := mp.Messages(t)
	if len(msgs) != 14 {
		t.Errorf("mailpit holds %d messages; want 14", len(msgs))
	}
	byTo := map[string]testpeer.MailpitMessage{}
	attachments := map[int][]byte{} // by piece
	for _, m := range msgs {
		byTo[m.To[0].Address] = m
	}
	for seq, addr := range emails {
		if seq == 11 {
			continue
		}
		m, ok := byTo[addr]
		if !ok {
			t.Errorf("piece %d: no e-mail to %s", seq, addr)
			continue
		}
		full := mp.Message(t, m.ID)
		own, err := os.ReadFile(d.path("spool", "jobs", fmt.Sprint(run.ID), "pieces", fmt.Sprintf("piece-%d.pdf", seq)))
		if err != nil || len(full.Attachments) != 1 || !bytes.Equal(mp.Part(t, m.ID, full.Attachments[0].PartID), own) {
			t.Errorf("piece %d: the attachment is not the piece's PDF (%v, %d attachments)", seq, err, len(full.Attachments))
			continue
		}
		attachments[seq] = mp.Part(t, m.ID, full.Attachments[0].PartID)
		if seq > 3 {
			continue // omsctl runs slowly under the race detector: the history of three is enough
		}
		if n := pdfPages(t, d.path("spool", "jobs", fmt.Sprint(run.ID), "pieces", fmt.Sprintf("piece-%d.pdf", seq))); n != 1+(seq-1)%3 {
			t.Errorf("piece %d: its PDF has %d pages; want %d", seq, n, 1+(seq-1)%3)
		}
		tr := d.track(run.ID, seq)
		if tr.Status != "delivered" || tr.Piece.Channel != "email" || !strings.Contains(fmt.Sprint(tr.Events), m.MessageID) {
			t.Errorf("piece %d: track %+v; want delivered, an emailed event with Message-ID %s", seq, tr, m.MessageID)
		}
	}
	if text := d.ctl("track", fmt.Sprintf("%d/1", run.ID)); !strings.Contains(text, "emailed") || !strings.Contains(text, "(channel email)") {
		t.Errorf("omsctl track:\n%s", text)
	}
	portal, _ := filepath.Glob(d.path("portal", "*.pdf"))
	records, _ := filepath.Glob(d.path("portal", "*.json"))
	if len(portal) != 15 || len(records) != 15 {
		t.Errorf("the portal holds %d PDFs and %d records; want 15 of each", len(portal), len(records))
	}

	checkChannelsArchived(t, d, run.ID, emails, attachments)

	// The refused piece printed in the fallback job.
	if fallback.Pieces != 1 || fallback.PiecesDetail[0].Meta["fallback_of"] != fmt.Sprintf("%d/11", run.ID) {
		t.Errorf("fallback job: %d pieces %+v", fallback.Pieces, fallback.PiecesDetail)
	}
	tr := d.track(run.ID, 11)
	if tr.Status != "fell-back-to-print" || !strings.Contains(fmt.Sprint(tr.Events), "550") {
		t.Errorf("piece 11: %+v; want fell-back-to-print with the 550", tr)
	}
	outs, _ := filepath.Glob(d.path("out", "*"))
	if len(outs) != 2 {
		t.Errorf("outputs %v; want the run's and the fallback job's", outs)
	}
	rep := d.report(run.ID)
	if rep.PiecesOut != 50 || len(rep.Unaccounted) != 0 || rep.Channels["email"] != 15 || rep.Channels["portal"] != 15 || rep.Channels["print"] != 20 {
		t.Errorf("close-out: out %d, unaccounted %v, channels %v, status %v; want all 50 out, 15/15/20", rep.PiecesOut, rep.Unaccounted, rep.Channels, rep.Status)
	}
	if text := d.ctl("job", "report", fmt.Sprint(run.ID)); !strings.Contains(text, "channels: email 15, portal 15, print 20") {
		t.Errorf("job report:\n%s", text)
	}
	var ds api.Deliveries
	if err := json.Unmarshal([]byte(d.ctl("deliveries", fmt.Sprint(run.ID), "--json")), &ds); err != nil ||
		ds.States["delivered"] != 29 || ds.States["fell-back"] != 1 || len(ds.Deliveries) != 30 {
		t.Errorf("omsctl deliveries --json: %v %+v", err, ds.States)
	}
	for _, dl := range ds.Deliveries {
		if (dl.Seq == 11) != (dl.FallbackJob == fallback.ID) {
			t.Errorf("delivery %+v; only piece 11 falls back, to job %d", dl, fallback.ID)
		}
	}
	if text := d.ctl("deliveries", fmt.Sprint(run.ID)); !strings.Contains(text, "printed in job "+fmt.Sprint(fallback.ID)) || !strings.Contains(text, "550") {
		t.Errorf("omsctl deliveries:\n%s", text)
	}

	// The dry run shows the same saving.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "omsd.yaml"), []byte(cfg), 0o644)
	os.MkdirAll(filepath.Join(dir, "omsd-data"), 0o755)
	os.WriteFile(filepath.Join(dir, "omsd-data", "prefs.csv"), prefs, 0o644)
	os.WriteFile(filepath.Join(dir, "run.pdf"), pdf, 0o644)
	os.WriteFile(filepath.Join(dir, "run.json"), side, 0o644)
	cmd := exec.Command(bin.omsd, "process", "--config", "omsd.yaml", "--dry-run", "run.pdf")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "digital delivery: 30 pieces left the print run") {
		t.Errorf("omsd process --dry-run: %v\n%s", err, out)
	}
}

// checkChannelsArchived: every piece of the mixed run is in the archive
// once per channel it went out on: the 20 printed with channel print, the
// e-mailed ones with channel email and their address, byte-identical to
// mailpit's attachment, and the portal ones with channel portal and their
// file, byte-identical to it. (Piece 11 was archived before the server
// refused it: archiving comes before every attempt.)
func checkChannelsArchived(t *testing.T, d *daemon, run int64, emails map[int]string, attachments map[int][]byte) {
	t.Helper()
	recs := archiveRecords(t, d, fmt.Sprintf("job=%d", run))
	byChannel := map[string]map[int]api.ArchiveRecord{}
	for _, r := range recs {
		if byChannel[r.Channel] == nil {
			byChannel[r.Channel] = map[int]api.ArchiveRecord{}
		}
		if _, twice := byChannel[r.Channel][r.Seq]; twice {
			t.Errorf("piece %d archived twice on %s", r.Seq, r.Channel)
		}
		byChannel[r.Channel][r.Seq] = r
	}
	if len(recs) != 50 || len(byChannel["print"]) != 20 || len(byChannel["email"]) != 15 || len(byChannel["portal"]) != 15 {
		t.Errorf("archive search job=%d: %d records, print %d, email %d, portal %d; want 50: 20, 15, 15",
			run, len(recs), len(byChannel["print"]), len(byChannel["email"]), len(byChannel["portal"]))
	}
	for seq, addr := range emails {
		r, ok := byChannel["email"][seq]
		if !ok || r.Recipient != addr || r.ID != fmt.Sprintf("%d-%d-0-email", run, seq) {
			t.Errorf("piece %d: archived %+v; want channel email to %s", seq, r, addr)
			continue
		}
		if want, ok := attachments[seq]; ok && !bytes.Equal(archiveGet(t, d, r), want) {
			t.Errorf("piece %d: the archived bytes are not mailpit's attachment", seq)
		}
	}
	for seq, r := range byChannel["portal"] {
		file := d.path("portal", fmt.Sprintf("%d-%d.pdf", run, seq))
		dropped, err := os.ReadFile(file)
		if err != nil || r.Recipient != file {
			t.Errorf("piece %d: archived for %q; want %s (%v)", seq, r.Recipient, file, err)
		}
		if !bytes.Equal(archiveGet(t, d, r), dropped) {
			t.Errorf("piece %d: the archived bytes are not the file dropped in the portal", seq)
		}
	}
	text := d.ctl("archive", "search", fmt.Sprintf("job=%d", run))
	for _, id := range []string{fmt.Sprintf("%d-1-0-email", run), fmt.Sprintf("%d-4-0-portal", run), fmt.Sprintf("%d-7-0", run)} {
		channel := strings.TrimPrefix(id[strings.LastIndexByte(id, '-'):], "-")
		if channel == "0" {
			channel = "print"
		}
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(id) + `\s.*\s` + channel + `\s`).MatchString(text) {
			t.Errorf("omsctl archive search: no row of %s with channel %s:\n%s", id, channel, text)
		}
	}
	// omsctl archive get, once for each channel.
	if r, ok := byChannel["email"][1]; ok && !bytes.Equal(archiveGetCLI(t, d, r), attachments[1]) {
		t.Errorf("omsctl archive get %s: not the attachment e-mailed", r.ID)
	}
	for seq, r := range byChannel["portal"] {
		dropped, _ := os.ReadFile(d.path("portal", fmt.Sprintf("%d-%d.pdf", run, seq)))
		if !bytes.Equal(archiveGetCLI(t, d, r), dropped) {
			t.Errorf("omsctl archive get %s: not the file dropped", r.ID)
		}
		break
	}
}
