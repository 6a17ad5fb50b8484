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
