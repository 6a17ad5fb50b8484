package file

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/drivers"
)

// TestSendMode: outputs get the driver's mode, copied or linked, whatever
// the mode of the spool file.
func TestSendMode(t *testing.T) {
	for _, tt := range []struct {
		name string
		link bool
		mode os.FileMode
		want os.FileMode
	}{
		{"copy default", false, 0, DefaultMode},
		{"copy 0604", false, 0o604, 0o604},
		{"link default", true, 0, DefaultMode},
		{"link 0600", true, 0o600, 0o600},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			d := New(dir, zerolog.Nop())
			d.Link = tt.link
			if tt.mode != 0 {
				d.Mode = tt.mode
			}
			src := writeDoc(t, []byte("%PDF-1.7 document"))
			if err := os.Chmod(src, 0o600); err != nil {
				t.Fatal(err)
			}
			doc := drivers.Document{JobID: 5, Path: src, Name: "run", Format: "application/pdf", Sheets: 1}
			if out, err := d.Send(context.Background(), doc, nil); out != drivers.OK {
				t.Fatalf("Send = %v, %v", out, err)
			}
			st, err := os.Stat(filepath.Join(dir, "5-run.pdf"))
			if err != nil {
				t.Fatal(err)
			}
			if got := st.Mode().Perm(); got != tt.want {
				t.Errorf("output mode %04o, want %04o", got, tt.want)
			}
		})
	}
}
