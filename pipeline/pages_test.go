package pipeline

import (
	"testing"

	"github.com/omsd/omsd/pdf"
)

// TestOutputPagesCountBlankBacks: an output's page count is what its file
// holds, the blank backs a marked duplex output adds included.
func TestOutputPagesCountBlankBacks(t *testing.T) {
	in, side, _ := plannedRun(t, 40)
	wf := markedWorkflow(t, "{profile: pb-omr}")
	r, err := PrepareJob(wf, Job{ID: "77"}, in, side, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	backs := 0
	for _, out := range r.Outputs {
		doc, err := pdf.Open(out.Path)
		if err != nil {
			t.Fatal(err)
		}
		if out.Pages != doc.PageCount() {
			t.Errorf("output %s: Pages %d, its file has %d", out.Name, out.Pages, doc.PageCount())
		}
		backs += doc.PageCount()
	}
	if backs -= r.Pages; backs <= 0 {
		t.Fatalf("the run got %d blank backs; the test needs pieces with odd page counts", backs)
	}
}
