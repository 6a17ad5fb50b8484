package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/internal/failpoint"
	"github.com/omsd/omsd/internal/testpeer"
)

// TestFaultChannelsKill crashes omsd (kill -9) at each step of e-mailing
// a piece and of sending a refused piece to print, restarts it, and
// checks that every recipient got its piece once (mailpit's messages
// deduplicated by Message-ID: an attempt the crash left unrecorded is
// made again with the same Message-ID), every portal piece is in the
// portal, and the refused piece printed once; and, the archive on, that
// every digital delivery is in the archive once on its channel, the
// crash also falling while a delivery or an output is archived.
func TestFaultChannelsKill(t *testing.T) {
	t.Parallel()
	omsd := failpointOmsd(t)
	for _, tt := range []struct {
		point string
		conns int
	}{
		{"channels-email-recorded@2", 1},  // the attempt recorded, nothing sent
		{"channels-email-sent@4", 1},      // the server accepted it, not recorded
		{"channels-fallback-created", 1},  // the fallback job created, no files
		{"channels-fallback-recorded", 1}, // the pieces recorded in it, not released
		{"channels-email-sent@3", 3},      // three connections, one accepted message not recorded
		{"archive-stored@3", 1},           // a segment stored, not in the ledger
		{"archive-ledgered@5", 1},         // a segment in the ledger, not indexed
	} {
		point := tt.point
		t.Run(fmt.Sprintf("%s/connections=%d", point, tt.conns), func(t *testing.T) {
			t.Parallel()
			mp := testpeer.StartMailpit(t, "--smtp-allowed-recipients", `@example\.com$`)
			cfg := strings.Replace(channelsConfig(mp, ""), "        attempts: 3\n", fmt.Sprintf("        attempts: 3\n        connections: %d\n", tt.conns), 1)
			cfg = strings.Replace(cfg, "printers:", "archive: {}\nprinters:", 1)
			d := startDaemon(t, cfg)
			d.stop()
			pdf, side, prefs, emails := channelRun(t, 20, 12)
			if err := os.MkdirAll(d.stateDir(), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(d.path("prefs.csv"), prefs, 0o644); err != nil {
				t.Fatal(err)
			}
			hot := d.path("hot", "statements")
			drop(t, hot, "run.json", side)
			drop(t, hot, "run.pdf", pdf)
			d.crashRun(90*time.Second, []string{failpoint.EnvVar + "=" + point}, omsd, d.args...)
			d.start()
			var js []api.Job
			waitFor(t, 2*time.Minute, "the run, its e-mails and its fallback to finish", func() bool {
				js = d.jobs()
				portal, _ := filepath.Glob(d.path("portal", "*.json"))
				return allFinished(js) && printedFallbacks(d, js) >= 1 && distinctMessages(t, mp) >= len(emails)-1 && len(portal) >= 6
			})
			sent, lost, doubled := 0, 0, 0
			byTo := map[string]map[string]bool{}
			for _, m := range mp.Messages(t) {
				to := m.To[0].Address
				if byTo[to] == nil {
					byTo[to] = map[string]bool{}
				}
				byTo[to][m.MessageID] = true
			}
			for seq, addr := range emails {
				if seq == 12 {
					continue
				}
				switch n := len(byTo[addr]); {
				case n == 0:
					lost++
				case n > 1:
					doubled++
				default:
					sent++
				}
			}
			printed := printedFallbacks(d, js)
			portal, _ := filepath.Glob(d.path("portal", "*.pdf"))
			t.Logf("fault counts: %s: e-mails sent %d received %d lost %d doubled %d (%d messages in mailpit); portal %d/6; refused piece printed %d time(s)",
				point, len(emails)-1, sent, lost, doubled, len(mp.Messages(t)), len(portal), printed)
			if lost != 0 || doubled != 0 || sent != len(emails)-1 || len(portal) != 6 || printed != 1 {
				t.Errorf("after a crash at %s: %d lost, %d doubled, %d portal pieces, refused piece printed %d times; log:\n%s", point, lost, doubled, len(portal), printed, d.log())
			}
			checkDeliveriesArchivedOnce(t, d, js, point, len(emails))
		})
	}
}

// allFinished reports whether every job is completed, aborted or canceled.
func allFinished(js []api.Job) bool {
	for _, j := range js {
		if j.State != "completed" && j.State != "aborted" && j.State != "canceled" {
			return false
		}
	}
	return len(js) > 0
}

// printedFallbacks counts the pieces printed by completed fallback jobs.
func printedFallbacks(d *daemon, js []api.Job) int {
	n := 0
	for _, j := range js {
		if strings.Contains(j.Name, ".fallback.") && j.State == "completed" {
			n += j.Pieces
		}
	}
	return n
}

// distinctMessages counts mailpit's messages by Message-ID.
func distinctMessages(t *testing.T, mp *testpeer.Mailpit) int {
	ids := map[string]bool{}
	for _, m := range mp.Messages(t) {
		ids[m.MessageID] = true
	}
	return len(ids)
}

// checkDeliveriesArchivedOnce checks that the run's e-mailed (nEmails,
// the refused one included: it is archived before its attempt), portal
// (6) and printed (8) pieces are each archived once.
func checkDeliveriesArchivedOnce(t *testing.T, d *daemon, js []api.Job, point string, nEmails int) {
	t.Helper()
	var run int64
	for _, j := range js {
		if !strings.Contains(j.Name, ".fallback.") {
			run = j.ID
		}
	}
	seen := map[string]int{}
	perChannel := map[string]int{}
	for _, r := range archiveRecords(t, d, fmt.Sprintf("job=%d", run)) {
		key := fmt.Sprintf("%s/%d", r.Channel, r.Seq)
		if seen[key]++; seen[key] == 1 {
			perChannel[r.Channel]++
		}
	}
	doubled := 0
	for _, n := range seen {
		doubled += n - 1
	}
	t.Logf("fault counts: %s: archived email %d/%d portal %d/6 print %d/8, doubled %d", point, perChannel["email"], nEmails, perChannel["portal"], perChannel["print"], doubled)
	if doubled != 0 || perChannel["email"] != nEmails || perChannel["portal"] != 6 || perChannel["print"] != 8 {
		t.Errorf("after a crash at %s the archive holds email %d/%d, portal %d/6, print %d/8, %d doubled", point, perChannel["email"], nEmails, perChannel["portal"], perChannel["print"], doubled)
	}
}
