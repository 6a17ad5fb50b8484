package pipeline

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/meta"
)

// TestStreamEnvelopes: the envelopes an output's marks take one at a
// time are those MarkSheets computes from: consecutive pieces of one
// planned envelope together with its inserts, pieces without a plan alone
// under their own sequence number, the run's generation on each, and the
// divert code of an envelope with any piece diverted.
func TestStreamEnvelopes(t *testing.T) {
	placed := func(env int, inserts ...string) *mailpiece.Placement {
		return mailpiece.Place(env, &mailpiece.EnvelopeClass{Inserts: inserts})
	}
	pieces := []mailpiece.Piece{
		{Seq: 4, Pages: 2, Sheets: 2, Placement: placed(1, "flyer")},
		{Seq: 2, Pages: 1, Sheets: 1, Placement: placed(1, "flyer"), Meta: meta.FromMap(map[string]string{"hold": "yes"})},
		{Seq: 7, Pages: 3, Sheets: 2},
		{Seq: 8, Pages: 1, Sheets: 1},
		{Seq: 1, Pages: 1, Sheets: 1, Placement: placed(2)},
		{Seq: 3, Pages: 4, Sheets: 2, Placement: placed(3), Meta: meta.FromMap(map[string]string{"hold": "0"})},
		{Seq: 5, Pages: 1, Sheets: 1, Placement: placed(3)},
	}
	run := MarkRun{Job: "12", Generation: 2, DivertField: "hold"}
	src := streamEnvelopes(run, pieces)
	want := markedEnvelopes(run, pieces)
	if src.Len() != 5 || len(want) != 5 {
		t.Fatalf("%d envelopes streamed, %d listed; want 5", src.Len(), len(want))
	}
	var got []string
	for k := 0; ; k++ {
		e, ok := src.Next()
		if !ok {
			break
		}
		if fmt.Sprint(*e) != fmt.Sprint(want[k]) {
			t.Errorf("envelope %d: streamed %v, listed %v", k+1, *e, want[k])
		}
		var seqs []string
		for _, p := range e.Pieces {
			seqs = append(seqs, fmt.Sprint(p.Seq))
		}
		got = append(got, fmt.Sprintf("%d:%s%v%s/%d", e.ID, strings.Join(seqs, "+"), e.Inserts, e.Divert, e.Reprint))
	}
	if g := strings.Join(got, " "); g != "1:4+2[flyer]1/2 7:7[]/2 8:8[]/2 2:1[]/2 3:3+5[]/2" {
		t.Errorf("envelopes %s", g)
	}
}

// TestAFPMarksFailLeaveNothing: marks that cannot be drawn are found as
// the output reaches them (the job's ID is longer than the barcode's
// field); the output fails with the marks' error and leaves no file, not
// even a temp file.
func TestAFPMarksFailLeaveNothing(t *testing.T) {
	in, _ := writeAFPRun(t, 60)
	wf := afpWorkflow()
	wf.Marks = markedWorkflow(t, "{profile: datamatrix-fbp}").Marks
	dir := t.TempDir()
	_, err := PrepareJob(wf, Job{ID: "123456789012"}, in, "", dir)
	if !errors.Is(err, marks.ErrContent) || !strings.Contains(err.Error(), "marks: ") {
		t.Fatalf("a job ID too long for the barcode: %v, want the marks' ErrContent", err)
	}
	left, _ := os.ReadDir(dir)
	for _, e := range left {
		t.Errorf("%s left behind", e.Name())
	}
}
