package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/afp"
	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/audit"
	"github.com/omsd/omsd/client"
	"github.com/omsd/omsd/internal/afptest"
	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/internal/testpeer"
	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/marks/markread"
)

// archiveNames are the names the PDF run's pieces carry, by seq%4.
var archiveNames = []string{"Jörg Weiß", "Anna Müller", "Zoë Dupont", "HANS STRAUSS"}

// archiveConfig is a planned, marked duplex PDF workflow and an AFP
// workflow, both archived with retention 0d (expired as soon as sent),
// and a plain workflow for reprints; extra is the archive section.
func archiveConfig(archiveSection string) string {
	return `version: 1
printers:
  - {name: letters, driver: file, file: {dir: out/letters}}
  - {name: afpout, driver: file, file: {dir: out/afp}}
  - {name: again, driver: file, file: {dir: out/again}}
` + archiveSection + `
workflows:
` + marksWorkflow("letters", "pb-omr", true) + `    archive: {fields: [customer_id, zip], text: [name, street], retention: 0d}
  - name: statements
    format: afp
    printer: afpout
    archive: {fields: [ACCOUNT, POSTCODE], text: [NAME], retention: 0d}
  - name: plain
    printer: letters
    pieces: {method: whole}
hot_folders:
  - {dir: hot/letters, workflow: letters, scan_interval: 200ms}
  - {dir: hot/afp, workflow: statements, scan_interval: 200ms}
`
}

// archivePDFRun is marksRun with a name and street on every piece.
func archivePDFRun(t *testing.T) (pdf, sidecar []byte, meta []map[string]string) {
	pdf, side := marksRun(t, true)
	var doc struct {
		Pieces []map[string]any `json:"pieces"`
	}
	if err := json.Unmarshal(side, &doc); err != nil {
		t.Fatal(err)
	}
	for i, p := range doc.Pieces {
		m := map[string]string{}
		for k, v := range p["meta"].(map[string]any) {
			m[k] = v.(string)
		}
		m["name"] = archiveNames[(i+1)%4]
		m["street"] = fmt.Sprintf("Hauptstraße %d", i+1)
		p["meta"] = m
		meta = append(meta, m)
	}
	side, _ = json.Marshal(doc)
	return pdf, side, meta
}

// archiveSearch runs omsctl archive search and returns the piece IDs.
func archiveSearch(t *testing.T, d *daemon, conds ...string) []string {
	t.Helper()
	var recs []api.ArchiveRecord
	out := d.ctl(append([]string{"archive", "search", "--json", "--limit", "100000"}, conds...)...)
	if err := json.Unmarshal([]byte(out), &recs); err != nil {
		t.Fatalf("archive search %v: %v\n%s", conds, err, out)
	}
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.ID
	}
	slices.Sort(ids)
	return ids
}

func archiveRecords(t *testing.T, d *daemon, conds ...string) []api.ArchiveRecord {
	t.Helper()
	var recs []api.ArchiveRecord
	out := d.ctl(append([]string{"archive", "search", "--json", "--limit", "100000"}, conds...)...)
	if err := json.Unmarshal([]byte(out), &recs); err != nil {
		t.Fatalf("archive search %v: %v\n%s", conds, err, out)
	}
	return recs
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// archiveGet fetches a piece through the API client and checks its
// bytes against the record's SHA-256 and size.
func archiveGet(t *testing.T, d *daemon, r api.ArchiveRecord) []byte {
	t.Helper()
	var b bytes.Buffer
	c := client.Client{Socket: d.socket()}
	if _, err := c.ArchiveGet(context.Background(), r.ID, &b); err != nil {
		t.Fatalf("archive get %s: %v", r.ID, err)
	}
	if sha(b.Bytes()) != r.SHA256 || int64(b.Len()) != r.Size {
		t.Fatalf("piece %s: got %d bytes with SHA-256 %s, recorded %d bytes %s", r.ID, b.Len(), sha(b.Bytes()), r.Size, r.SHA256)
	}
	return b.Bytes()
}

// archiveGetCLI is archiveGet through omsctl archive get -o FILE.
func archiveGetCLI(t *testing.T, d *daemon, r api.ArchiveRecord) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), r.ID+"."+r.Format)
	d.ctl("archive", "get", r.ID, "-o", path)
	b, err := os.ReadFile(path)
	if err != nil || sha(b) != r.SHA256 {
		t.Fatalf("omsctl archive get %s: %v, SHA-256 %s, recorded %s", r.ID, err, sha(b), r.SHA256)
	}
	return b
}

// TestArchivePDFAndAFP sends a planned, marked PDF run and an AFP run
// with the archive in the state directory.
func TestArchivePDFAndAFP(t *testing.T) {
	t.Parallel()
	archiveE2E(t, "archive: {}", nil)
}

// archiveE2E: every piece of both runs is archived once; archive get
// returns bytes whose SHA-256 is the recorded one and whose pages are the
// output's (pdftotext; the AFP index); search by account, postcode range
// and a name with ß finds the right pieces, and after reindex the same;
// verify names a flipped byte; expiry with a hold deletes exactly the
// segments not held; a reprint prints the archived bytes; the export
// writes CMOD's generic index. segmentFile finds a segment's bytes in the
// store (nil: the local directory).
func archiveE2E(t *testing.T, section string, segmentFile func(d *daemon, name string) string) {
	pdftest.NeedTool(t, "pdftotext", "poppler-utils")
	d := startDaemon(t, archiveConfig(section))
	if segmentFile == nil {
		segmentFile = func(d *daemon, name string) string { return d.path("archive", "segments", name+".seg") }
	}
	pdf, side, meta := archivePDFRun(t)
	drop(t, d.path("hot", "letters"), "run.json", side)
	drop(t, d.path("hot", "letters"), "run.pdf", pdf)
	var afpRun bytes.Buffer
	truth, err := afptest.Write(&afpRun, afptest.Options{Pages: 120, Seed: 7, TextBytes: 300})
	if err != nil {
		t.Fatal(err)
	}
	drop(t, d.path("hot", "afp"), "run.afp", afpRun.Bytes())
	jobs := d.waitJobs(2, 120*time.Second)
	byWF := map[string]api.Job{}
	for _, j := range jobs {
		if j.State != "completed" {
			t.Fatalf("job %+v\n%s", j, d.log())
		}
		byWF[j.Workflow] = j
	}
	pdfJob, afpJob := byWF["letters"], byWF["statements"]

	// Every piece once, byte-identical to its pages in the output.
	pdfRecs := archiveRecords(t, d, fmt.Sprintf("job=%d", pdfJob.ID))
	checkOncePerPiece(t, pdfRecs, len(meta))
	checkPDFPieces(t, d, pdfRecs)
	afpRecs := archiveRecords(t, d, fmt.Sprintf("job=%d", afpJob.ID))
	checkOncePerPiece(t, afpRecs, len(truth.Pieces))
	checkAFPPieces(t, d, afpRecs, truth)
	checkAFPPieceAsPDF(t, d, afpRecs[0], truth.Pieces[afpRecs[0].Seq-1].Pages)

	// Search.
	var wantWeiss, wantZip, wantGross, wantAccount []string
	for i, m := range meta {
		id := fmt.Sprintf("%d-%d-0", pdfJob.ID, i+1)
		if strings.Contains(m["name"], "Weiß") {
			wantWeiss = append(wantWeiss, id)
		}
		if m["zip"] >= "20000" && m["zip"] <= "49999" {
			wantZip = append(wantZip, id)
		}
	}
	for _, p := range truth.Pieces {
		if strings.Contains(p.Value("NAME"), "Groß") {
			wantGross = append(wantGross, fmt.Sprintf("%d-%d-0", afpJob.ID, p.Seq))
		}
	}
	wantAccount = []string{fmt.Sprintf("%d-%d-0", afpJob.ID, truth.Pieces[3].Seq)}
	queries := []struct {
		conds []string
		want  []string
	}{
		{[]string{"text=weiss"}, wantWeiss},
		{[]string{"name~WEISS", fmt.Sprintf("job=%d", pdfJob.ID)}, wantWeiss},
		{[]string{"zip=20000..49999"}, wantZip},
		{[]string{"text=groß"}, wantGross},
		{[]string{"ACCOUNT=" + truth.Pieces[3].Value("ACCOUNT")}, wantAccount},
	}
	for _, q := range queries {
		slices.Sort(q.want)
		if len(q.want) == 0 {
			t.Fatalf("query %v: the run has no piece to find", q.conds)
		}
		if got := archiveSearch(t, d, q.conds...); !slices.Equal(got, q.want) {
			t.Errorf("search %v = %v, want %v", q.conds, got, q.want)
		}
	}
	if got := archiveSearch(t, d, "job="+fmt.Sprint(pdfJob.ID), "--from", time.Now().Add(24*time.Hour).Format("2006-01-02")); len(got) != 0 {
		t.Errorf("search sent from tomorrow: %v", got)
	}
	d.ctl("archive", "reindex")
	for _, q := range queries {
		if got := archiveSearch(t, d, q.conds...); !slices.Equal(got, q.want) {
			t.Errorf("after reindex, search %v = %v, want %v", q.conds, got, q.want)
		}
	}

	// Reprint: the archived bytes printed again as they are, in the
	// piece's own marked workflow, on another printer: its marks as
	// archived, none drawn again.
	reprinted := checkReprintAsSent(t, d, pdfRecs)

	// A reprint through the loop (new marks from the spool) is archived
	// as the next generation of the piece, beside the first.
	var rr api.ReprintResult
	if err := json.Unmarshal([]byte(d.ctl("reprint", fmt.Sprint(pdfJob.ID), "--pieces", "3", "--to", "again", "--json")), &rr); err != nil {
		t.Fatalf("reprint: %v", err)
	}
	waitFor(t, 60*time.Second, "the loop's reprint to be printed", func() bool { return d.job(rr.Reprint.ID).State == "completed" })
	gen1 := archiveRecords(t, d, "generation=1", "channel=print", "workflow=letters")
	if len(gen1) != 1 || gen1[0].Seq != 3 || gen1[0].Job != rr.Reprint.ID || gen1[0].ID != fmt.Sprintf("%d-3-1", rr.Reprint.ID) {
		t.Errorf("the loop's reprint of piece 3 is archived as %+v, want one piece %d-3-1", gen1, rr.Reprint.ID)
	}
	if got := archiveSearch(t, d, fmt.Sprintf("job=%d", pdfJob.ID), "channel=print"); len(got) != len(meta) {
		t.Errorf("search channel=print of the run finds %d pieces, want %d", len(got), len(meta))
	}
	reprinted = append(reprinted, gen1...)

	// Export for CMOD.
	exp := t.TempDir()
	d.ctl("archive", "export", "--format", "cmod-generic", "text=weiss", exp)
	ind, err := os.ReadFile(filepath.Join(exp, "omsd-export.ind"))
	if err != nil || strings.Count(string(ind), "GROUP_FILENAME:") != len(wantWeiss) {
		t.Fatalf("export index: %v\n%s", err, ind)
	}
	if b, err := os.ReadFile(filepath.Join(exp, wantWeiss[0]+".pdf")); err != nil || !strings.Contains(string(ind), "GROUP_FIELD_VALUE:"+sha(b)) {
		t.Errorf("exported piece %s: %v", wantWeiss[0], err)
	}

	// Verify: sound, then a flipped byte named, then sound again.
	d.ctl("archive", "verify")
	seg := segmentFile(d, pdfRecs[0].Segment)
	orig, err := os.ReadFile(seg)
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(orig)
	flipped[pdfRecs[0].Offset+pdfRecs[0].Length/2] ^= 0x10
	os.Chmod(seg, 0o644)
	if err := os.WriteFile(seg, flipped, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := d.ctlErr("archive", "verify")
	if err == nil || !strings.Contains(out, "MISMATCH segment "+pdfRecs[0].Segment) || strings.Contains(out, afpRecs[0].Segment) {
		t.Errorf("verify after a flipped byte (err %v):\n%s", err, out)
	}
	os.WriteFile(seg, orig, 0o644)
	d.ctl("archive", "verify")

	// Expiry: everything is past retention (0d); a hold on one PDF piece
	// keeps the PDF run's segment and only it.
	d.ctl("archive", "hold", "case-17", "--pieces", pdfRecs[7].ID, "--reason", "customer dispute")
	var ex api.ArchiveExpire
	json.Unmarshal([]byte(d.ctl("archive", "expire", "--json")), &ex)
	afpSegs := slices.Concat(segmentsOf(afpRecs), segmentsOf(reprinted))
	slices.Sort(afpSegs)
	if got := expiredSegments(ex.Deleted); !slices.Equal(got, afpSegs) || len(ex.Kept) != 1 || ex.Kept[0].Segment != pdfRecs[0].Segment {
		t.Errorf("expiry with a hold deleted %v and kept %+v; want deleted %v, kept %s", got, ex.Kept, afpSegs, pdfRecs[0].Segment)
	}
	if got := archiveSearch(t, d, fmt.Sprintf("job=%d", afpJob.ID)); len(got) != 0 {
		t.Errorf("expired pieces still found: %v", got)
	}
	archiveGetCLI(t, d, pdfRecs[7])
	d.ctl("archive", "release", "case-17")
	ex = api.ArchiveExpire{}
	json.Unmarshal([]byte(d.ctl("archive", "expire", "--json")), &ex)
	if got := expiredSegments(ex.Deleted); !slices.Equal(got, segmentsOf(pdfRecs)) {
		t.Errorf("expiry after the release deleted %v, want %v", got, segmentsOf(pdfRecs))
	}
	d.ctl("archive", "verify")
	entries, err := audit.Read(d.path("audit.log"), audit.Filter{})
	gets := 0
	for _, e := range entries {
		if e.Action == "archive.get" && e.Target == "piece "+pdfRecs[7].ID && e.User != "" && e.Result == "ok" {
			gets++
		}
	}
	if err != nil || gets < 2 {
		t.Errorf("the audit trail holds %d retrievals of %s (%v), want 2 or more", gets, pdfRecs[7].ID, err)
	}
}

func segmentsOf(recs []api.ArchiveRecord) []string {
	var s []string
	for _, r := range recs {
		if !slices.Contains(s, r.Segment) {
			s = append(s, r.Segment)
		}
	}
	slices.Sort(s)
	return s
}

func expiredSegments(es []api.ArchiveExpired) []string {
	var s []string
	for _, e := range es {
		s = append(s, e.Segment)
	}
	slices.Sort(s)
	return s
}

// checkOncePerPiece: one record for each of seqs 1..n, generation 0.
func checkOncePerPiece(t *testing.T, recs []api.ArchiveRecord, n int) {
	t.Helper()
	seen := map[int]int{}
	for _, r := range recs {
		seen[r.Seq]++
		if r.Generation != 0 {
			t.Errorf("piece %s: generation %d", r.ID, r.Generation)
		}
	}
	for s := 1; s <= n; s++ {
		if seen[s] != 1 {
			t.Errorf("piece %d archived %d times", s, seen[s])
		}
	}
	if len(recs) != n {
		t.Errorf("%d records for %d pieces", len(recs), n)
	}
}

// checkPDFPieces: each archived piece's pages are, in pdftotext's eyes,
// the output's pages of that piece, blank backs included.
func checkPDFPieces(t *testing.T, d *daemon, recs []api.ArchiveRecord) {
	t.Helper()
	outs, _ := filepath.Glob(d.path("out", "letters", "*.pdf"))
	if len(outs) != 1 {
		t.Fatalf("outputs %v", outs)
	}
	outPages := pdftest.PageTexts(t, outs[0])
	total := 0
	for _, r := range recs {
		b := archiveGet(t, d, r)
		path := filepath.Join(t.TempDir(), "p.pdf")
		os.WriteFile(path, b, 0o644)
		pages := pdftest.PageTexts(t, path)
		first := slices.Index(outPages, fmt.Sprintf("piece %d page 1", r.Seq))
		if len(pages) != r.Pages || first < 0 || first+len(pages) > len(outPages) || !slices.Equal(pages, outPages[first:first+len(pages)]) {
			t.Errorf("piece %s: archived pages %q are not the output's", r.ID, pages)
		}
		total += len(pages)
	}
	if total != len(outPages) {
		t.Errorf("archived pieces hold %d pages, the output %d", total, len(outPages))
	}
}

// checkAFPPieces: each archived piece is a standalone AFP file with the
// output's resources and form map and its page group as in the output.
func checkAFPPieces(t *testing.T, d *daemon, recs []api.ArchiveRecord, truth afptest.GroundTruth) {
	t.Helper()
	outs, _ := filepath.Glob(d.path("out", "afp", "*.afp"))
	if len(outs) != 1 {
		t.Fatalf("outputs %v", outs)
	}
	out, _ := os.ReadFile(outs[0])
	outIdx, err := afp.BuildIndex(bytes.NewReader(out), afp.IndexOptions{Boundary: afp.PageGroups()})
	if err != nil {
		t.Fatal(err)
	}
	header := out[:outIdx.Pieces[0].Offset]
	for _, r := range recs {
		b := archiveGet(t, d, r)
		idx, err := afp.BuildIndex(bytes.NewReader(b), afp.IndexOptions{Boundary: afp.PageGroups()})
		if err != nil || len(idx.Pieces) != 1 || idx.FormMap == nil {
			t.Fatalf("piece %s is not a standalone AFP file with a form map: %v", r.ID, err)
		}
		want := truth.Pieces[r.Seq-1]
		p := idx.Pieces[0]
		if p.Name != want.Name || int(p.Pages) != want.Pages || r.Fields["ACCOUNT"] != want.Value("ACCOUNT") {
			t.Errorf("piece %s: group %q of %d pages (account %s), want %q of %d (%s)", r.ID, p.Name, p.Pages, r.Fields["ACCOUNT"], want.Name, want.Pages, want.Value("ACCOUNT"))
		}
		var group []byte
		for _, op := range outIdx.Pieces {
			if op.Name == want.Name {
				group = out[op.Offset : op.Offset+op.Length]
			}
		}
		if !bytes.HasPrefix(b, header) || !bytes.Contains(b, group) {
			t.Errorf("piece %s lacks the output's resources or its page group's bytes", r.ID)
		}
	}
}

// TestArchiveS3 is TestArchivePDFAndAFP with the segments in a real
// S3-compatible store (the Versity S3 Gateway, started by the test).
func TestArchiveS3(t *testing.T) {
	t.Parallel()
	s3 := testpeer.StartS3(t)
	archiveE2E(t, s3.Config("omsd-archive"), func(d *daemon, name string) string {
		return s3.Object("omsd-archive", name+".seg")
	})
}

// checkAFPPieceAsPDF: omsctl archive get --pdf renders an archived AFP
// piece as a PDF of its pages.
func checkAFPPieceAsPDF(t *testing.T, d *daemon, r api.ArchiveRecord, pages int) {
	t.Helper()
	path := filepath.Join(t.TempDir(), r.ID+".pdf")
	out := d.ctl("archive", "get", r.ID, "-o", path, "--pdf")
	b, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("archive get --pdf %s wrote no PDF: %v; omsctl said %s", r.ID, err, out)
	}
	if got := pdfPages(t, path); got != pages {
		t.Errorf("archive get --pdf %s: %d pages, want the piece's %d", r.ID, got, pages)
	}
}

// checkReprintAsSent reprints piece 3 of the marked PDF run (five duplex
// sheets, an envelope of its own) in its own workflow, whose marks are
// on, to printer again: the printed file is the archived bytes, and the
// camera reads exactly one set of marks on it, the archived one: every
// front one OMR code with its benchmark and parity, the codes collate
// into one envelope of five sheets, the backs blank. The reprint is
// archived, once, as those bytes; its records are returned.
func checkReprintAsSent(t *testing.T, d *daemon, recs []api.ArchiveRecord) []api.ArchiveRecord {
	t.Helper()
	pdftest.NeedTool(t, "pdftoppm", "poppler-utils")
	k := slices.IndexFunc(recs, func(r api.ArchiveRecord) bool { return r.Seq == 3 })
	if k < 0 || recs[k].Pages != 10 {
		t.Fatalf("the run has no piece 3 of 10 pages: %+v", recs)
	}
	r := recs[k]
	var re api.ArchiveReprintResult
	if err := json.Unmarshal([]byte(d.ctl("archive", "reprint", r.ID, "--to", "again", "--json")), &re); err != nil || len(re.Jobs) != 1 {
		t.Fatalf("reprint: %v %+v", err, re)
	}
	waitFor(t, 60*time.Second, "the reprint to be printed", func() bool { return d.job(re.Jobs[0].ID).State == "completed" })
	if j := d.job(re.Jobs[0].ID); j.Workflow != "letters" || j.Source != "archive" {
		t.Errorf("the reprint ran in workflow %q from %q, want the piece's own, letters, from archive", j.Workflow, j.Source)
	}
	again, _ := filepath.Glob(d.path("out", "again", "*"))
	if len(again) != 1 {
		t.Fatalf("reprint outputs %v", again)
	}
	if b, _ := os.ReadFile(again[0]); sha(b) != r.SHA256 {
		t.Errorf("the reprint printed other bytes than the archived piece: marks drawn again?")
	}
	p, err := marks.LoadProfile("pb-omr")
	if err != nil {
		t.Fatal(err)
	}
	p.Feeders = marksFeeders
	if err := p.Prepare(); err != nil {
		t.Fatal(err)
	}
	cam := markread.Camera{Profile: p}
	views, err := cam.Views(&marks.SheetMarks{})
	if err != nil {
		t.Fatal(err)
	}
	pages, err := cam.RenderViews(again[0], views)
	if err != nil || len(pages) != 10 {
		t.Fatalf("the reprint has %d pages (%v), want 10", len(pages), err)
	}
	var fronts [][]markread.Image
	for i := 0; i < len(pages); i += 2 {
		fronts = append(fronts, pages[i])
		if n := markread.DarkCount(pages[i+1][0].Gray); n != 0 {
			t.Errorf("reprint page %d, a back: %d dark pixels in the marks' zone", i+2, n)
		}
	}
	reads, err := cam.Read(fronts)
	if err != nil {
		t.Fatal(err)
	}
	codes := make([]markread.Code, len(reads))
	for i, rd := range reads {
		if rd.Err != nil || rd.OMR == nil || !rd.OMR.Benchmark || !rd.OMR.ParityOK {
			t.Fatalf("reprint sheet %d: not one clean set of marks: %+v", i+1, rd)
		}
		codes[i] = *rd.OMR
	}
	if groups, err := markread.Collate(codes); err != nil || len(groups) != 1 || len(groups[0]) != 5 {
		t.Errorf("the reprint's marks collate into %v (%v), want one envelope of 5 sheets", groups, err)
	}
	again2 := archiveRecords(t, d, fmt.Sprintf("job=%d", re.Jobs[0].ID))
	if len(again2) != 1 || again2[0].SHA256 != r.SHA256 {
		t.Errorf("the reprint is archived as %+v, want one piece with the archived bytes %s", again2, r.SHA256)
	}
	return again2
}
