package channels

import (
	"bytes"
	"crypto/hmac"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/internal/testpeer"
	"github.com/omsd/omsd/spool"
)

// TestPortalWebhook: each portal piece is posted, signed with the
// secret, its PDF the piece's own; a webhook that fails is tried again
// with the same idempotency key until it answers 2xx; one that keeps
// failing sends the piece to print.
func TestPortalWebhook(t *testing.T) {
	var mu sync.Mutex
	got := map[string][]byte{}
	failures := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if !hmac.Equal([]byte(r.Header.Get("X-Omsd-Signature")), []byte(Sign("s3cret", body))) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		key := r.Header.Get("Idempotency-Key")
		mu.Lock()
		defer mu.Unlock()
		var b webhookBody
		json.Unmarshal(body, &b)
		if b.Meta["account"] == "A0003" || failures[key] < 2 {
			failures[key]++
			http.Error(w, "try later", http.StatusServiceUnavailable)
			return
		}
		got[key] = b.PDF
	}))
	defer srv.Close()
	mp := testpeer.StartMailpit(t)
	r := newRig(t, mp, mp.CAFile, "")
	r.s.cfg.Workflows[0].Channels.Portal.Webhook = srv.URL
	r.s.cfg.Workflows[0].Channels.Portal.Secret = "s3cret"
	r.s.cfg.Workflows[0].Channels.Portal.Attempts = 4
	r.s.cfg.Workflows[0].Channels.Portal.Backoff = config.Duration(time.Millisecond)
	j := r.analysedJob(t, []piece{{"portal", ""}, {"portal", ""}, {"portal", ""}})
	r.passUntil(t, "the webhook deliveries", func() bool { return r.allIn(t, j.ID, spool.DeliveryDelivered, spool.DeliveryFellBack) })
	ds := r.deliveries(t, j.ID)
	for _, seq := range []int{1, 2} {
		own, _ := os.ReadFile(filepath.Join(r.store.JobDir(j.ID), piecesDir, "piece-"+itoa(seq)+".pdf"))
		key := itoa64(j.ID) + "-" + itoa(seq)
		if d := ds[seq]; d.State != spool.DeliveryDelivered || d.Attempts != 3 || !strings.Contains(d.Reply, "200 OK") {
			t.Errorf("piece %d: %+v; want delivered at the third attempt", seq, d)
		}
		if !bytes.Equal(got[key], own) || failures[key] != 2 {
			t.Errorf("piece %d: the webhook got %d bytes (own %d) after %d failures", seq, len(got[key]), len(own), failures[key])
		}
	}
	if d := ds[3]; d.State != spool.DeliveryFellBack || d.Attempts != 4 || !strings.Contains(d.Error, "503") {
		t.Errorf("piece 3 (the webhook always fails): %+v; want fallen back after 4 attempts", d)
	}
}

// TestUnopenedPortalPiecePrints: a portal piece the portal reports
// opened in time stays delivered (an opened event); one not reported
// opened by print_unopened_after goes to print.
func TestUnopenedPortalPiecePrints(t *testing.T) {
	mp := testpeer.StartMailpit(t)
	r := newRig(t, mp, mp.CAFile, "")
	ps := r.s.cfg.Workflows[0].Channels.Portal
	ps.PrintUnopenedAfter = config.Duration(time.Hour)
	ps.OpenedDir = filepath.Join(r.dir, "opened")
	j := r.analysedJob(t, []piece{{"portal", ""}, {"portal", ""}})
	r.passUntil(t, "the portal drop", func() bool { return r.allIn(t, j.ID, spool.DeliveryDelivered) })
	if ids, _ := r.store.OpenDeliveryJobs(); len(ids) != 1 {
		t.Fatalf("open jobs %v; the unopened pieces are still watched", ids)
	}
	os.MkdirAll(ps.OpenedDir, 0o755)
	os.WriteFile(filepath.Join(ps.OpenedDir, itoa64(j.ID)+"-1.opened"), nil, 0o644)
	r.passUntil(t, "piece 1 opened", func() bool { return !r.deliveries(t, j.ID)[1].Opened.IsZero() })
	// Piece 2's time runs out.
	d := r.deliveries(t, j.ID)[2]
	d.OpenBy = time.Now().Add(-time.Second)
	r.store.PutDeliveries([]spool.Delivery{d}, nil)
	r.passUntil(t, "piece 2 to print", func() bool { return r.deliveries(t, j.ID)[2].State == spool.DeliveryFellBack })
	ds := r.deliveries(t, j.ID)
	if ds[1].State != spool.DeliveryDelivered || !strings.Contains(ds[2].Error, "not opened in the portal") {
		t.Errorf("deliveries %+v", ds)
	}
	tracks, _ := r.store.Tracks(j.ID)
	if !hasEvent(tracks[1], spool.TrackOpened, "-1.opened") || !hasEvent(tracks[2], spool.TrackFellBack, "not opened") {
		t.Errorf("histories %+v", tracks)
	}
	if ids, _ := r.store.OpenDeliveryJobs(); len(ids) != 0 {
		t.Errorf("open jobs %v when every piece is opened or printed", ids)
	}
	if _, err := os.Stat(filepath.Join(ps.OpenedDir, "done", itoa64(j.ID)+"-1.opened")); err != nil {
		t.Errorf("the report was not moved to done: %v", err)
	}
}
