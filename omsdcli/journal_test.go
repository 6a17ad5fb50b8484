package omsdcli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/omsd/omsd/config"
)

// TestJournalLogs: with $JOURNAL_STREAM naming the stderr file, as systemd
// sets it, the logs are JSON (format auto) and carry no colour codes even
// in console format; a $JOURNAL_STREAM naming another file changes nothing.
func TestJournalLogs(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "journal"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var st syscall.Stat_t
	if err := syscall.Fstat(int(f.Fd()), &st); err != nil {
		t.Fatal(err)
	}
	t.Setenv("JOURNAL_STREAM", fmt.Sprintf("%d:%d", st.Dev, st.Ino))
	if !toJournal(f) {
		t.Fatal("the file JOURNAL_STREAM names is not taken for the journal")
	}
	if toJournal(os.Stdin) || toJournal(&bytes.Buffer{}) {
		t.Error("another file is taken for the journal")
	}
	for _, format := range []string{"auto", "json", "console"} {
		if err := f.Truncate(0); err != nil {
			t.Fatal(err)
		}
		f.Seek(0, 0)
		log, err := newLogger(config.Log{Format: format, Level: "info"}, f)
		if err != nil {
			t.Fatal(err)
		}
		log.Info().Str("job", "7").Msg("hello")
		b, _ := os.ReadFile(f.Name())
		if bytes.Contains(b, []byte("\x1b[")) {
			t.Errorf("format %s: colour codes in the journal: %q", format, b)
		}
		if format != "console" && !json.Valid(bytes.TrimSpace(b)) {
			t.Errorf("format %s: not JSON: %q", format, b)
		}
		if !strings.Contains(string(b), "hello") {
			t.Errorf("format %s: message missing: %q", format, b)
		}
	}
}
