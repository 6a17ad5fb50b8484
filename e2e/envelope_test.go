package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/postage"
)

// envelopeConfig is a planned, marked, pooled mail run through line L1:
// households share an envelope, outputs are cut into chunks over a pool of
// two printers, the manifests are JAF (one record per envelope) and the
// line reports letter by letter (resultLayout is the path of a JRF layout
// of unit piece).
const envelopeConfig = `version: 1
printers:
  - {name: a, driver: file, file: {dir: out}}
  - {name: b, driver: file, file: {dir: out}}
pools:
  - {name: room, printers: [a, b], chunk_sheets: 6}
lines:
  - {name: L1, manifest_dir: line/in, result_dir: line/results, result_layout: %s, scan_interval: 100ms}
workflows:
  - name: mail
    printer: room
    line: L1
    pieces: {method: sidecar}
    reprint: {mode: auto, cap: 25%%}
    marks: {profile: datamatrix-fbp}
    postage:
      carrier: deutschepost
      paper: {gsm: 80, width_mm: 210, height_mm: 297}
      envelopes:
        - {name: C6/5, max_sheets: 4, weight_g: 5.0, format: standard}
        - {name: C4, max_sheets: 100, weight_g: 13, format: gross}
      household: {enabled: true, key: [customer_id], max_sheets: 4}
      presort: {enabled: true, origin: "04109"}
      fields: {postal_code: zip, country: country, customer_id: customer_id}
      default_output: main
hot_folders:
  - {dir: hot/mail, workflow: mail, scan_interval: 100ms}
`

// jrfLetters is the shipped JRF with one record per letter.
const jrfLetters = `name: jrf-letters
kind: fixed
unit: piece
extension: .jrf
dispositions: {"00": unread, "10": damaged, "20": diverted, "30": hand-mailed, "40": inserted}
records:
  - type: piece
    tag: B
    fields:
      - {name: job, start: 2, length: 10, align: right, pad: "0", required: true}
      - {name: piece, start: 12, length: 10, align: right, pad: "0", required: true}
      - {name: disposition, start: 22, length: 2, required: true}
      - {name: time, start: 24, length: 19}
      - {name: operator, start: 43, length: 16, truncate: true}
      - {name: line, start: 59, length: 16, truncate: true}
`

// householdRun is 12 one-page letters; letters 2 and 3, and 7 and 8, go
// to one household each.
func householdRun(t *testing.T) (pdf, sidecar []byte) {
	t.Helper()
	var o pdftest.Options
	var pieces []map[string]any
	for i := range 12 {
		seq := i + 1
		cust, zip := fmt.Sprintf("C%02d", seq), fmt.Sprintf("%05d", 1067+(i*7919)%98000)
		switch seq {
		case 3:
			cust, zip = "C02", pieces[1]["meta"].(map[string]string)["zip"]
		case 8:
			cust, zip = "C07", pieces[6]["meta"].(map[string]string)["zip"]
		}
		o.Pieces = append(o.Pieces, 1)
		pieces = append(pieces, map[string]any{"first_page": seq, "pages": 1,
			"meta": map[string]string{"customer_id": cust, "zip": zip, "country": "DE", "name": "Customer " + cust}})
	}
	sidecar, _ = json.Marshal(map[string]any{"pieces": pieces})
	return pdfBytes(t, o), sidecar
}

// printedFile is the file printer's output of job id whose name holds
// part.
func printedFile(t *testing.T, d *daemon, id int64, part string) string {
	t.Helper()
	var path string
	waitFor(t, 30*time.Second, fmt.Sprintf("the print of job %d %s", id, part), func() bool {
		ms, _ := filepath.Glob(d.path("out", fmt.Sprintf("%d-*", id)))
		for _, m := range ms {
			if strings.Contains(filepath.Base(m), part) {
				path = m
				return true
			}
		}
		return false
	})
	return path
}

// TestEnvelopeIsTheUnit: in a planned, marked, pooled run with households,
// the manifest has one record per envelope with its letters, the barcodes
// read from the print name the same envelopes; one letter of a household
// reported damaged reprints its whole envelope (both letters, in order,
// as one envelope, postage planned afresh), and a letter inserted twice
// raises an alarm that stays in the report and the letter's history with
// its acknowledgement.
func TestEnvelopeIsTheUnit(t *testing.T) {
	t.Parallel()
	layout := filepath.Join(t.TempDir(), "jrf-letters.yaml")
	if err := os.WriteFile(layout, []byte(jrfLetters), 0o644); err != nil {
		t.Fatal(err)
	}
	d := startDaemon(t, fmt.Sprintf(envelopeConfig, layout))
	pdf, side := householdRun(t)
	drop(t, d.path("hot", "mail"), "run.json", side)
	drop(t, d.path("hot", "mail"), "run.pdf", pdf)
	id := d.waitJobs(1, 90*time.Second)[0].ID
	job := d.job(id)
	if job.State != "completed" || len(job.Outputs) < 2 {
		t.Fatalf("job %s with %d outputs, want completed in chunks", job.State, len(job.Outputs))
	}
	envOf, letters := map[int]int{}, map[int][]int{}
	for _, p := range job.PiecesDetail {
		envOf[p.Seq] = p.Plan.Envelope
		letters[p.Plan.Envelope] = append(letters[p.Plan.Envelope], p.Seq)
	}
	if len(letters) != 10 || envOf[2] != envOf[3] || envOf[7] != envOf[8] {
		t.Fatalf("plan: %d envelopes, letters %v", len(letters), letters)
	}
	household := envOf[2]

	// One manifest record per envelope, with its letters; the barcodes on
	// the paper name the same envelopes in the same order.
	line := newLineSim(t, d, "line/in", "line/results", "out")
	records := 0
	for _, o := range job.Outputs {
		name := fmt.Sprintf("job%06d-%s.jaf", id, o.Name)
		data, err := os.ReadFile(d.path("line", "in", name))
		if err != nil {
			t.Fatal(err)
		}
		recs := line.readManifest(name, data)
		read := envelopesRead(t, camera(t, printedFile(t, d, id, "-"+o.Name+".")))
		if len(read) != len(recs) {
			t.Fatalf("%s: %d records, %d envelopes read from the print", name, len(recs), len(read))
		}
		for i, r := range recs {
			if r.id != r.envelope || !slices.Equal(r.seqs, letters[r.id]) || r.sheets != len(r.seqs) {
				t.Errorf("%s record %d: %+v, want envelope %d with letters %v", name, i+1, r, r.id, letters[r.id])
			}
			if read[i].envelope != r.id || read[i].sheets != r.sheets {
				t.Errorf("%s: envelope read %+v where the manifest has %+v", name, read[i], r)
			}
		}
		records += len(recs)
	}
	if records != 10 {
		t.Fatalf("%d manifest records for 10 envelopes of 12 letters", records)
	}

	// Letter 3 of the household damaged (its partner 2 never reported),
	// letter 10 inserted twice.
	var lines []string
	for seq := 1; seq <= 12; seq++ {
		switch seq {
		case 2:
		case 3:
			lines = append(lines, jrfLine(id, seq, "10"))
		case 10:
			lines = append(lines, jrfLine(id, seq, "40"), jrfLine(id, seq, "40"))
		default:
			lines = append(lines, jrfLine(id, seq, "40"))
		}
	}
	dropResult(t, d, "run-1.jrf", lines...)
	waitFor(t, 30*time.Second, "the integrity alarm", func() bool {
		j := d.job(id)
		return j.State == "held" && j.Loop != nil && len(j.Loop.Alarms) == 1
	})
	reason := "second envelope of letter 10 pulled at the stacker"
	d.ctl("job", "ack", fmt.Sprint(id), "--reason", reason)

	// The reprint: envelope of letters 2 and 3, in order, one envelope.
	var child int64
	waitFor(t, 30*time.Second, "the reprint", func() bool {
		j := d.job(id)
		if j.Loop != nil && len(j.Loop.Reprints) == 1 {
			child = j.Loop.Reprints[0]
			return d.job(child).State == "completed"
		}
		return false
	})
	name := fmt.Sprintf("job%06d-reprint-r1.jaf", id)
	data, err := os.ReadFile(d.path("line", "in", name))
	if err != nil {
		t.Fatal(err)
	}
	recs := line.readManifest(name, data)
	if len(recs) != 1 || recs[0].id != household || !slices.Equal(recs[0].seqs, []int{2, 3}) || recs[0].gen != 1 || recs[0].job != id {
		t.Fatalf("reprint manifest %s: %+v, want envelope %d with letters 2 and 3", name, recs, household)
	}
	path := printedFile(t, d, child, "")
	texts := pdftest.PageTexts(t, path)
	if len(texts) != 2 || !strings.Contains(texts[0], pdftest.PageText(1, 0)) || !strings.Contains(texts[1], pdftest.PageText(2, 0)) {
		t.Errorf("reprint %s pages %q, want letters 2 and 3", path, texts)
	}
	read := envelopesRead(t, camera(t, path))
	if len(read) != 1 || read[0].envelope != household || read[0].sheets != 2 || read[0].job != id || read[0].reprint != 1 {
		t.Errorf("reprint barcodes: %+v, want envelope %d of 2 sheets, job %d, reprint 1", read, household, id)
	}

	// The close-out: the alarm with its acknowledgement, the reprint's
	// postage in the totals.
	me, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	rep := d.report(id)
	if len(rep.Incidents) != 1 || rep.Incidents[0].Acknowledged == nil || rep.Incidents[0].Acknowledged.By != me.Username ||
		rep.Incidents[0].Acknowledged.Reason != reason || !slices.Equal(rep.Incidents[0].Pieces, []int{10}) {
		t.Errorf("report incidents %+v", rep.Incidents)
	}
	if len(rep.Reprints) != 1 || rep.Reprints[0].Envelopes != 1 || rep.Reprints[0].Postage != "0.95" || rep.Reprints[0].Pieces != 2 {
		t.Errorf("report reprints %+v", rep.Reprints)
	}
	var run postage.Money
	for _, p := range rep.Postage {
		m, _ := postage.ParseMoney(p.Postage)
		run += m
	}
	if len(rep.ReprintPostage) != 1 || rep.ReprintPostage[0].Product != "Standardbrief" || rep.PostageTotal != (run+9500).String() {
		t.Errorf("report reprint postage %+v, total %s (run %s)", rep.ReprintPostage, rep.PostageTotal, run)
	}
	text := d.ctl("job", "report", fmt.Sprint(id))
	for _, want := range []string{"ALARM: piece 10 inserted 2 times", "acknowledged by " + me.Username, reason, "postage total (run and reprints): " + rep.PostageTotal} {
		if !strings.Contains(text, want) {
			t.Errorf("job report lacks %q:\n%s", want, text)
		}
	}
	var plan api.Plan
	if err := json.Unmarshal([]byte(d.ctl("plan", fmt.Sprint(id), "--json")), &plan); err != nil {
		t.Fatal(err)
	}
	if len(plan.Reprints) != 1 || plan.Reprints[0].Total != "0.95" || !slices.Equal(plan.Reprints[0].Pieces, []int{2, 3}) || plan.Reprints[0].Envelopes != 1 {
		t.Errorf("plan reprints %+v", plan.Reprints)
	}
	if out := d.ctl("plan", fmt.Sprint(id)); !strings.Contains(out, "reprints (postage planned afresh") || !strings.Contains(out, "Standardbrief") {
		t.Errorf("omsctl plan:\n%s", out)
	}
	tr := d.track(id, 10)
	k := kinds(tr)
	at := slices.Index(k, "acknowledged")
	if !slices.Contains(k, "alarm") || at < 0 || tr.Events[at].Operator != me.Username || tr.Events[at].Detail != reason {
		t.Errorf("history of letter 10: %v\n%+v", k, tr.Events)
	}
	if out := d.ctl("track", fmt.Sprintf("%d/10", id)); !strings.Contains(out, "alarm") || !strings.Contains(out, "acknowledged") {
		t.Errorf("omsctl track:\n%s", out)
	}

	// The reprint inserted closes the run.
	dropResult(t, d, "run-2.jrf", jrfLine(child, 2, "40"), jrfLine(child, 3, "40"))
	waitFor(t, 30*time.Second, "the run to close", func() bool { return d.report(id).Loop == "closed" })
	if rep := d.report(id); rep.Status["inserted"] != 12 || len(rep.Unaccounted) != 0 {
		t.Errorf("close-out: status %v unaccounted %v", rep.Status, rep.Unaccounted)
	}
}
