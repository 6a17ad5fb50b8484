package loop

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/meta"
)

// manifestFixture is a daemon of one line L1 and one planned workflow w
// with two inserts (coupon only for vip pieces); line and marks are the
// YAML of the line's extra keys and of the workflow's marks section. The
// state directory holds a marks profile line7.yaml feeding flyer from
// station 2 and coupon from 4.
func manifestFixture(t *testing.T, line, marks string) (*Service, config.Workflow, config.Line) {
	t.Helper()
	dir := t.TempDir()
	profile := "name: line7\nstations: 4\nfeeders: {flyer: 2, coupon: 4}\nbarcode: {symbology: code128, content: \"{envelope:6}\", module: 0.4mm, height: 8mm}\n"
	if err := os.WriteFile(filepath.Join(dir, "line7.yaml"), []byte(profile), 0o644); err != nil {
		t.Fatal(err)
	}
	yaml := `version: 1
state_dir: ` + dir + `
printers: [{name: p, driver: file, file: {dir: out}}]
lines: [{name: L1, manifest_dir: m, result_dir: r` + line + `}]
workflows:
  - name: w
    printer: p
    line: L1
    postage:
      carrier: deutschepost
      envelopes: [{name: C4, max_sheets: 100, weight_g: 13, format: gross}]
      inserts: [{name: flyer, weight_g: 2}, {name: coupon, weight_g: 1, field: vip, value: "yes"}]
      fields: {postal_code: zip, country: country}
`
	if marks != "" {
		yaml += "    marks: " + marks + "\n"
	}
	cfg, err := config.Parse([]byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	d, err := open(cfg, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.store.Close() })
	wf, _ := cfg.Workflow("w")
	l, _ := cfg.Line("L1")
	return d, wf, l
}

// TestManifestStations: an envelope's inserts fire the stations of the
// workflow's marks feeders, else of the line's marks profile, else of the
// order the workflow lists its inserts in.
func TestManifestStations(t *testing.T) {
	bySeq := map[int]mailpiece.Piece{1: {Seq: 1, Meta: meta.FromMap(map[string]string{"vip": "yes"})}, 2: {Seq: 2}}
	tests := []struct {
		name, line, marks string
		vip, plain        []int
	}{
		{"workflow order", "", "", []int{1, 2}, []int{1}},
		{"workflow marks", "", "{profile: pb-omr, feeders: {flyer: 3, coupon: 1}}", []int{3, 1}, []int{3}},
		{"line profile", ", marks: line7.yaml", "", []int{2, 4}, []int{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, wf, line := manifestFixture(t, tt.line, tt.marks)
			st := d.stations("w", line)
			if got := stationsOf(envelopeInserts(wf, []int{1}, bySeq), st); !slices.Equal(got, tt.vip) {
				t.Errorf("vip envelope: stations %v, want %v", got, tt.vip)
			}
			if got := stationsOf(envelopeInserts(wf, []int{2}, bySeq), st); !slices.Equal(got, tt.plain) {
				t.Errorf("plain envelope: stations %v, want %v", got, tt.plain)
			}
		})
	}
}

// TestManifestPieces: address lines, postal code and divert come from the
// piece's metadata as the line says.
func TestManifestPieces(t *testing.T) {
	_, wf, line := manifestFixture(t, ", address: [street, city], divert_field: hold", "")
	vip := mailpiece.Piece{Seq: 1, Meta: meta.FromMap(map[string]string{"vip": "yes", "street": "Hauptstr. 1", "city": "Leipzig", "zip": "04109", "hold": "yes"})}
	mp := manifestPiece(vip, line, wf, nil)
	if !slices.Equal(mp.Address, []string{"Hauptstr. 1", "Leipzig"}) || mp.PostalCode != "04109" || !mp.Divert || mp.Envelope != 1 {
		t.Errorf("manifest piece %+v", mp)
	}
	if mp := manifestPiece(mailpiece.Piece{Seq: 2}, line, wf, nil); mp.Divert || mp.Envelope != 2 {
		t.Errorf("plain piece %+v", mp)
	}
}
