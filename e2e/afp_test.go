package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/omsd/omsd/afp"
	"github.com/omsd/omsd/internal/afptest"
	"github.com/omsd/omsd/internal/testpeer"
)

// TestAFPToIPPPrinter drops an AFP mail run into an AFP workflow that sorts
// by postal code; a real IPP printer receives it as application/vnd.ibm.modcap
// with the pieces in the new order, and omsctl inspect sees the same pieces.
func TestAFPToIPPPrinter(t *testing.T) {
	t.Parallel()
	printer := testpeer.StartIPPPrinter(t)
	d := startDaemon(t, fmt.Sprintf(`version: 1
printers:
  - {name: afpprinter, driver: ipp, ipp: {uri: %q, poll_interval: 200ms}}
workflows:
  - name: statements
    format: afp
    printer: afpprinter
    sort_by: [postal_code]
    afp: {fields: {POSTCODE: postal_code, ACCOUNT: account}}
hot_folders:
  - {dir: hot/afp, workflow: statements, scan_interval: 200ms}
`, printer.URI))
	var run bytes.Buffer
	truth, err := afptest.Write(&run, afptest.Options{Pages: 200, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	drop(t, d.path("hot", "afp"), "statements.afp", run.Bytes())
	jobs := d.waitJobs(1, 60*time.Second)
	if jobs[0].State != "completed" || jobs[0].Pieces != len(truth.Pieces) || jobs[0].Sheets != truth.Sheets {
		t.Fatalf("job = %+v; want completed, %d pieces, %d sheets\n%s", jobs[0], len(truth.Pieces), truth.Sheets, d.log())
	}
	j := d.job(jobs[0].ID)
	if p := j.PiecesDetail[0]; p.Name != truth.Pieces[0].Name || p.Meta["postal_code"] != truth.Pieces[0].Value("POSTCODE") {
		t.Errorf("piece 1 = %+v; want %s with postal code %s", p, truth.Pieces[0].Name, truth.Pieces[0].Value("POSTCODE"))
	}

	got := printer.WaitJobs(t, 1)
	f, err := os.Open(got[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	idx, err := afp.BuildIndex(f, afp.IndexOptions{})
	if err != nil {
		t.Fatalf("what the printer received does not parse as AFP: %v", err)
	}
	if len(idx.Pieces) != len(truth.Pieces) {
		t.Fatalf("printer received %d pieces; want %d", len(idx.Pieces), len(truth.Pieces))
	}
	prev := ""
	for _, p := range idx.Pieces {
		zip, _ := p.Value("POSTCODE")
		if zip < prev {
			t.Fatalf("printed pieces are not in postal code order: %s after %s", zip, prev)
		}
		prev = zip
	}

	path := filepath.Join(t.TempDir(), "run.afp")
	os.WriteFile(path, run.Bytes(), 0o644)
	var in struct {
		Format string
		Pages  int
		Pieces []struct {
			Name string
			Meta map[string]string
		}
	}
	if err := json.Unmarshal([]byte(d.ctl("inspect", path, "--json")), &in); err != nil {
		t.Fatal(err)
	}
	if in.Format != "afp" || in.Pages != truth.Pages || len(in.Pieces) != len(truth.Pieces) || in.Pieces[1].Name != truth.Pieces[1].Name {
		t.Errorf("omsctl inspect --json: format %s, %d pages, %d pieces", in.Format, in.Pages, len(in.Pieces))
	}
}
