package queues

import (
	"reflect"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/pipeline"
	"github.com/omsd/omsd/spool"
)

func TestConfirmedPieces(t *testing.T) {
	sheets := []int{2, 1, 3}
	for done, want := range []int{0, 0, 1, 2, 2, 2, 3, 3} {
		if got := confirmedPieces(sheets, done); got != want {
			t.Errorf("confirmedPieces(%d sheets) = %d; want %d", done, got, want)
		}
	}
}

func TestRestartGroups(t *testing.T) {
	j := spool.Job{ID: 1, Pieces: 6, Outputs: []spool.Output{
		{Name: "a", Seqs: []int{3, 1, 2}, Sent: true, Confirmed: 3},
		{Name: "b", Seqs: []int{6, 4, 5}, Confirmed: 1},
	}}
	tests := []struct {
		r    api.JobRestart
		want []group
	}{
		{api.JobRestart{}, []group{{"b", []int{4, 5}}}},
		{api.JobRestart{FromPiece: 2}, []group{{"a", []int{2}}, {"b", []int{6, 4, 5}}}},
		{api.JobRestart{Pieces: []int{1, 5}}, []group{{"a", []int{1}}, {"b", []int{5}}}},
	}
	for _, tt := range tests {
		got, err := restartGroups(j, tt.r)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("restartGroups(%+v) = %v, %v; want %v", tt.r, got, err, tt.want)
		}
	}
	for _, bad := range []api.JobRestart{{FromPiece: 9}, {Pieces: []int{7}}} {
		if _, err := restartGroups(j, bad); err == nil {
			t.Errorf("restartGroups(%+v) succeeded", bad)
		}
	}
}

func TestPickLeastLoadedCapable(t *testing.T) {
	yes, no := true, false
	mk := func(name string, caps config.Capabilities) *printerQueue {
		return newPrinterQueue(&pipeline.Printer{Name: name, Kind: "file"}, config.Printer{Name: name, Capabilities: caps})
	}
	d := &Service{printers: map[string]*printerQueue{
		"mono":   mk("mono", config.Capabilities{Color: &no, Formats: []string{"application/pdf"}}),
		"c1":     mk("c1", config.Capabilities{Color: &yes}),
		"c2":     mk("c2", config.Capabilities{Color: &yes}),
		"afp":    mk("afp", config.Capabilities{Formats: []string{"application/vnd.ibm.modcap"}}),
		"paused": mk("paused", config.Capabilities{}),
	}}
	d.printers["paused"].state.Paused = true
	d.printers["c2"].caps = &drivers.Capabilities{Duplex: false}
	members := []string{"mono", "c1", "c2", "afp", "paused"}
	now := time.Now()
	loads := map[string]int{"mono": 0, "c1": 50, "c2": 10, "afp": 0, "paused": 0}
	tests := []struct {
		n    needs
		want string
	}{
		{needs{Format: "application/pdf"}, "mono"},
		{needs{Format: "application/pdf", Color: true}, "c2"},
		{needs{Format: "application/pdf", Color: true, Duplex: true}, "c1"}, // c2 said it prints one-sided
		{needs{Format: "application/vnd.ibm.modcap"}, "afp"},
		// afp declares no colour: what is unknown is not checked.
		{needs{Format: "application/vnd.ibm.modcap", Color: true}, "afp"},
	}
	for _, tt := range tests {
		if got := d.pick(members, tt.n, loads, now); got != tt.want {
			t.Errorf("pick(%v) = %q; want %q", tt.n, got, tt.want)
		}
	}
}
