package daemon

import (
	"slices"
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
)

// TestManifestPieces: without marks, inserts feed from stations in the
// order the workflow lists them; address lines, postal code and divert
// come from the piece's metadata as the line says.
func TestManifestPieces(t *testing.T) {
	cfg, err := config.Parse([]byte(`version: 1
state_dir: ` + t.TempDir() + `
printers: [{name: p, driver: file, file: {dir: out}}]
lines: [{name: L1, manifest_dir: m, result_dir: r, address: [street, city], divert_field: hold}]
workflows:
  - name: w
    printer: p
    line: L1
    postage:
      carrier: deutschepost
      envelopes: [{name: C4, max_sheets: 100, weight_g: 13, format: gross}]
      inserts: [{name: flyer, weight_g: 2}, {name: coupon, weight_g: 1, field: vip, value: "yes"}]
      fields: {postal_code: zip, country: country}
`))
	if err != nil {
		t.Fatal(err)
	}
	d, err := open(cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	defer d.store.Close()
	line, _ := cfg.Line("L1")
	st, err := d.stations("w", line)
	if err != nil {
		t.Fatal(err)
	}
	wf, _ := cfg.Workflow("w")
	vip := mailpiece.Piece{Seq: 1, Meta: map[string]string{"vip": "yes", "street": "Hauptstr. 1", "city": "Leipzig", "zip": "04109", "hold": "yes"}}
	bySeq := map[int]mailpiece.Piece{1: vip, 2: {Seq: 2}}
	if got := stationsOf(envelopeInserts(wf, []int{1}, bySeq), st); !slices.Equal(got, []int{1, 2}) {
		t.Errorf("vip envelope: stations %v", got)
	}
	if got := stationsOf(envelopeInserts(wf, []int{2}, bySeq), st); !slices.Equal(got, []int{1}) {
		t.Errorf("plain envelope: stations %v", got)
	}
	mp := manifestPiece(vip, line, wf, nil)
	if !slices.Equal(mp.Address, []string{"Hauptstr. 1", "Leipzig"}) || mp.PostalCode != "04109" || !mp.Divert || mp.Envelope != 1 {
		t.Errorf("manifest piece %+v", mp)
	}
	if mp := manifestPiece(bySeq[2], line, wf, nil); mp.Divert || mp.Envelope != 2 {
		t.Errorf("plain piece %+v", mp)
	}
}
