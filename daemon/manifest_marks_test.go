package daemon

import (
	"slices"
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
)

// TestManifestStations: the inserts of an envelope fire the stations the
// workflow's marks feed them from.
func TestManifestStationsFromMarks(t *testing.T) {
	cfg, err := config.Parse([]byte(`version: 1
state_dir: ` + t.TempDir() + `
printers: [{name: p, driver: file, file: {dir: out}}]
lines: [{name: L1, manifest_dir: m, result_dir: r}]
workflows:
  - name: w
    printer: p
    line: L1
    marks: {profile: pb-omr, feeders: {flyer: 3, coupon: 1}}
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
	bySeq := map[int]mailpiece.Piece{1: {Seq: 1, Meta: map[string]string{"vip": "yes"}}, 2: {Seq: 2}}
	if got := stationsOf(envelopeInserts(wf, []int{1}, bySeq), st); !slices.Equal(got, []int{3, 1}) {
		t.Errorf("vip envelope: stations %v", got)
	}
	if got := stationsOf(envelopeInserts(wf, []int{2}, bySeq), st); !slices.Equal(got, []int{3}) {
		t.Errorf("plain envelope: stations %v", got)
	}
}
