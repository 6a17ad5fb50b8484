package intake

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/omsd/omsd/spool"
)

// TestRejectedListsTheNewestReports: the error folder's listing is its
// NAME.error.json reports, newest first, at most limit, a broken one
// skipped.
func TestRejectedListsTheNewestReports(t *testing.T) {
	x := newIntakeFixture(t)
	for i := range 3 {
		name := fmt.Sprintf("bad%d.pdf", i)
		j, err := x.d.store.CreateJob(spool.Job{Name: name, Workflow: "default", Printer: "file", Source: x.hot, Input: inputName(name)})
		if err != nil {
			t.Fatal(err)
		}
		dir, _ := x.d.store.MakeJobDir(j.ID)
		writeFile(t, filepath.Join(dir, j.Input), "not a pdf")
		dst, err := x.d.ToErrorFolder(j, "not a PDF", errors.New("bad"))
		if err != nil {
			t.Fatal(err)
		}
		at := time.Now().Add(time.Duration(i-10) * time.Minute)
		os.Chtimes(dst+".error.json", at, at)
	}
	writeFile(t, filepath.Join(x.d.errorDir, "broken.pdf.error.json"), "{not json")
	got, err := x.d.Rejected(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].File != "bad2.pdf" || got[1].File != "bad1.pdf" || got[0].Error != "bad" || got[0].Next == "" || got[0].Job == 0 {
		t.Errorf("rejected: %+v", got)
	}
}
