package omsdcli

import (
	"fmt"
	"io"
	"os"
	"syscall"
)

// toJournal reports whether w is the systemd journal's stream: systemd
// sets $JOURNAL_STREAM to "DEVICE:INODE" of the stream it connected to
// stdout and stderr, and w must be that very file (not a pipe the caller
// put in between).
func toJournal(w io.Writer) bool {
	want := os.Getenv("JOURNAL_STREAM")
	f, ok := w.(*os.File)
	if want == "" || !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && fmt.Sprintf("%d:%d", st.Dev, st.Ino) == want
}
