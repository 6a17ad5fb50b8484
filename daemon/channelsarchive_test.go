package daemon

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/archive"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/meta"
	"github.com/omsd/omsd/spool"
)

// TestDeliveryArchivedOncePerChannel: a digital delivery is archived
// once however often it is attempted, beside the same piece's print
// record, with its channel and recipient and the bytes delivered.
func TestDeliveryArchivedOncePerChannel(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	svc, err := archive.Open(ctx, archive.Options{Dir: filepath.Join(dir, "archive"), Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	cfg := &config.Config{Archive: &config.Archive{Retention: "10y"}, Workflows: []config.Workflow{{Name: "w", Format: "pdf"}}}
	x := archiver{cfg: cfg, svc: svc}
	j := spool.Job{ID: 7, Workflow: "w"}
	p := mailpiece.Piece{Seq: 1, Pages: 2, Meta: meta.FromMap(map[string]string{"name": "Jürgen Weiß", "account": "A1"})}

	// The piece was printed too (email+print).
	if err := svc.Archive(ctx, "print", []archive.Piece{{Record: archive.Record{ID: archive.ID(7, 1, 0), Job: 7, Seq: 1, Workflow: "w", Channel: "print", Format: "pdf"}, Data: []byte("printed")}}); err != nil {
		t.Fatal(err)
	}
	pdf := filepath.Join(dir, "piece-1.pdf")
	os.WriteFile(pdf, []byte("%PDF-1.7 the piece as e-mailed"), 0o644)
	for range 3 { // the first attempt, a retry, a restart
		if err := x.ArchiveDelivery(ctx, j, p, config.EmailChannel, "jw@example.com", pdf); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.ArchiveDelivery(ctx, j, p, config.PortalChannel, "/srv/portal/7-1.pdf", pdf); err != nil {
		t.Fatal(err)
	}
	segs, _ := os.ReadDir(filepath.Join(dir, "archive", "segments"))
	if len(segs) != 3 {
		t.Errorf("%d segments; want 3 (print, email, portal once each)", len(segs))
	}
	for id, want := range map[string][2]string{"7-1-0-email": {"email", "jw@example.com"}, "7-1-0-portal": {"portal", "/srv/portal/7-1.pdf"}} {
		r, err := svc.Record(id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if r.Channel != want[0] || r.Recipient != want[1] || r.Pages != 2 || r.Fields["account"] != "A1" || len(r.Text) != 1 {
			t.Errorf("%s: %+v; want channel %s, recipient %s, 2 pages, its fields and name", id, r, want[0], want[1])
		}
	}
	data, _, err := svc.Get(ctx, "7-1-0-email", "test")
	if err != nil || !bytes.Equal(data, []byte("%PDF-1.7 the piece as e-mailed")) {
		t.Errorf("get: %q %v; want the bytes e-mailed", data, err)
	}
	if _, err := svc.Record(archive.ID(7, 1, 0)); err != nil {
		t.Errorf("the print record: %v", err)
	}
}
