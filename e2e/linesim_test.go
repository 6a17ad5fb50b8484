package e2e

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/records"
)

// lineSim is an inserting line in the test: it takes the manifests omsd
// writes into its folder, checks them against the paper the printer put
// out (the page count of the printed file), and writes its result files
// into the line's result folder.
type lineSim struct {
	t        *testing.T
	d        *daemon
	in, out  string // manifest folder, result folder
	printed  string // the file printer's folder
	manifest *records.Layout
	result   *records.Layout
	seen     map[string]bool // manifests and prints taken
	// camera makes the line read the envelopes from the print's barcodes
	// (the datamatrix-fbp profile) instead of taking the manifest's order.
	camera bool
}

func newLineSim(t *testing.T, d *daemon, in, results, printed string) *lineSim {
	jaf, err := records.Builtin("jaf")
	if err != nil {
		t.Fatal(err)
	}
	jrf, err := records.Builtin("jrf")
	if err != nil {
		t.Fatal(err)
	}
	return &lineSim{t: t, d: d, in: d.path(in), out: d.path(results), printed: d.path(printed),
		manifest: jaf, result: jrf, seen: map[string]bool{}}
}

// simPiece is one mail piece (an envelope, one manifest record) as the
// line saw it.
type simPiece struct {
	job      int64
	id       int   // the record's mail piece ID, what results name
	seqs     []int // the letters it holds, in order
	sheets   int
	envelope int
	gen      int // reprint generation
}

// nextRun waits for a manifest not seen before and for its print, and
// returns its pieces in the order the line feeds them.
func (s *lineSim) nextRun(timeout time.Duration) (string, []simPiece) {
	s.t.Helper()
	var name string
	waitFor(s.t, timeout, "a new inserter manifest in "+s.in, func() bool {
		ents, _ := os.ReadDir(s.in)
		for _, e := range ents {
			if strings.HasSuffix(e.Name(), ".jaf") && !s.seen[e.Name()] {
				name = e.Name()
				return true
			}
		}
		return false
	})
	s.seen[name] = true
	data, err := os.ReadFile(filepath.Join(s.in, name))
	if err != nil {
		s.t.Fatal(err)
	}
	pieces := s.readManifest(name, data)
	path := s.checkPaper(pieces)
	if s.camera {
		pieces = s.fromPaper(path, pieces)
	}
	return name, pieces
}

func (s *lineSim) readManifest(name string, data []byte) []simPiece {
	r := records.NewReader(bytes.NewReader(data), s.manifest)
	var pieces []simPiece
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return pieces
		}
		if err != nil {
			s.t.Fatalf("manifest %s: %v", name, err)
		}
		if rec.Type != "piece" {
			continue
		}
		job, _ := strconv.ParseInt(rec.Fields["job"], 10, 64)
		id, _ := strconv.Atoi(rec.Fields["piece"])
		sheets, _ := strconv.Atoi(rec.Fields["prime_documents"])
		env, _ := strconv.Atoi(rec.Fields["envelope_id"])
		gen, _ := strconv.Atoi(strings.TrimSpace(rec.Fields["generation"]))
		var seqs []int
		for _, f := range strings.Fields(rec.Fields["letter_ids"]) {
			n, _ := strconv.Atoi(f)
			seqs = append(seqs, n)
		}
		if n, _ := strconv.Atoi(rec.Fields["letters"]); n != len(seqs) {
			s.t.Fatalf("manifest %s: envelope %d counts %d letters, lists %v", name, id, n, seqs)
		}
		pieces = append(pieces, simPiece{job: job, id: id, seqs: seqs, sheets: sheets, envelope: env, gen: gen})
	}
}

// checkPaper waits for the print that goes with a manifest (the next
// print file the line has not taken) and compares its pages with the
// manifest's sheets (the run prints simplex).
func (s *lineSim) checkPaper(pieces []simPiece) string {
	s.t.Helper()
	want := 0
	for _, p := range pieces {
		want += p.sheets
	}
	var path string
	waitFor(s.t, 60*time.Second, "the print of job "+strconv.FormatInt(pieces[0].job, 10), func() bool {
		ents, _ := os.ReadDir(s.printed)
		for _, e := range ents {
			if !strings.HasPrefix(e.Name(), ".") && !s.seen["print "+e.Name()] {
				path = filepath.Join(s.printed, e.Name())
				s.seen["print "+e.Name()] = true
				return true
			}
		}
		return false
	})
	if got := pdfPages(s.t, path); got != want {
		s.t.Fatalf("%s has %d pages, the manifest %d sheets", path, got, want)
	}
	return path
}

// fromPaper reads the envelopes from the print's barcodes and returns the
// pieces they hold, in the order they came down the line, as the
// manifest lists them under each envelope ID. Every envelope of the
// manifest must be read once, with the job and generation it names.
func (s *lineSim) fromPaper(path string, manifest []simPiece) []simPiece {
	s.t.Helper()
	byEnv := map[int][]simPiece{}
	for _, p := range manifest {
		byEnv[p.envelope] = append(byEnv[p.envelope], p)
	}
	var out []simPiece
	for _, e := range envelopesRead(s.t, camera(s.t, path)) {
		ps, ok := byEnv[e.envelope]
		if !ok || e.job != manifest[0].job || e.reprint != manifest[0].gen {
			s.t.Fatalf("%s: envelope %+v read, not in the manifest", path, e)
		}
		delete(byEnv, e.envelope)
		out = append(out, ps...)
	}
	if len(byEnv) > 0 {
		s.t.Fatalf("%s: %d envelopes of the manifest not read", path, len(byEnv))
	}
	return out
}

// writeResults writes a result file: each mail piece (by its ID) inserted,
// or the event outcome gives it.
func (s *lineSim) writeResults(name string, pieces []simPiece, outcome func(simPiece) string) {
	s.t.Helper()
	var buf bytes.Buffer
	w := records.NewWriter(&buf, s.result)
	at := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	w.Write("header", map[string]string{"job": strconv.FormatInt(pieces[0].job, 10)})
	for i, p := range pieces {
		ev := records.EventInserted
		if outcome != nil {
			ev = outcome(p)
		}
		res := records.Result{Job: p.job, Seq: p.id, Event: ev, Time: at.Add(time.Duration(i) * time.Second), Operator: "op7", Machine: "L1"}
		if err := w.Write("piece", s.result.ResultValues(res)); err != nil {
			s.t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		s.t.Fatal(err)
	}
	drop(s.t, s.out, name, buf.Bytes())
}

// seqsOf lists the seqs of the pieces' letters in ascending order.
func seqsOf(pieces []simPiece) []int {
	var out []int
	for _, p := range pieces {
		out = append(out, p.seqs...)
	}
	sort.Ints(out)
	return out
}
