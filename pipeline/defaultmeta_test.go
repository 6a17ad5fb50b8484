package pipeline

import (
	"testing"

	"github.com/omsd/omsd/config"
)

// TestJobMetadataIsEveryPiecesDefault: a job's own metadata fills the
// fields a piece lacks; the piece's own fields win, and the sort order
// sees the defaults.
func TestJobMetadataIsEveryPiecesDefault(t *testing.T) {
	in, side, _ := plannedRun(t, 6)
	wf := config.Workflow{Name: "w", Format: "pdf", Pieces: config.Pieces{Method: "sidecar"}, SortBy: []string{"tray"}}
	job := Job{ID: "9", Metadata: map[string]string{"country": "FR", "tray": "2", "form": "STMT"}}
	r, err := PrepareJob(wf, job, in, side, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Pieces) != 6 {
		t.Fatalf("%d pieces, want 6", len(r.Pieces))
	}
	for _, p := range r.Pieces {
		if p.Meta.Get("form") != "STMT" || p.Meta.Get("tray") != "2" {
			t.Errorf("piece %d meta %v: the job's fields are missing", p.Seq, p.Meta)
		}
		if p.Meta.Get("country") != "DE" {
			t.Errorf("piece %d country %q: the piece's own field must win over the job's", p.Seq, p.Meta.Get("country"))
		}
	}
	_, plain, err := Plan(wf, in, side)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := plain.Pieces[0].Meta.Lookup("form"); ok {
		t.Error("a plan without job metadata got the field")
	}
}
