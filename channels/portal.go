package channels

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/omsd/omsd/atomicfile"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/mailpiece"
	"github.com/omsd/omsd/spool"
)

// portalRecord is the JSON index record written beside a piece's PDF in
// the portal directory.
type portalRecord struct {
	Job       int64             `json:"job"`
	Seq       int               `json:"seq"`
	Name      string            `json:"name,omitempty"`
	File      string            `json:"file"`
	Pages     int               `json:"pages"`
	Meta      map[string]string `json:"meta,omitempty"`
	Delivered time.Time         `json:"delivered"`
}

// portal drops piece p of job j into the portal: into its directory
// (the PDF, then the JSON record, JOB-SEQ.pdf and JOB-SEQ.json, each
// written atomically, so that a portal that reads the records sees only
// complete files) and to its webhook. Doing it again after a crash writes
// the same files and posts with the same idempotency key. A webhook that
// fails is tried again after the backoff; after the attempts the piece
// falls back to print.
func (s *Service) portal(ctx context.Context, wf config.Workflow, jn *journal, docs *pieceDocs, p mailpiece.Piece, d spool.Delivery) (spool.Delivery, error) {
	ps, j := wf.Channels.Portal, jn.job
	src, err := docs.file(p)
	if jn.failedPDFA(&d, err) {
		return d, nil
	}
	if err != nil {
		return d, err
	}
	base := strconv.FormatInt(j.ID, 10) + "-" + strconv.Itoa(p.Seq)
	rec := portalRecord{Job: j.ID, Seq: p.Seq, Name: p.Name, File: base + ".pdf", Pages: p.Pages, Meta: p.Meta.Map(), Delivered: time.Now().UTC()}
	if !s.archive(ctx, jn, p, &d, portalTarget(ps, base), src) {
		return d, nil
	}
	var where []string
	if ps.Dir != "" {
		if err := dropInto(ps.Dir, base, src, rec); err != nil {
			return d, err
		}
		where = append(where, filepath.Join(ps.Dir, base+".pdf"))
	}
	if ps.Webhook != "" {
		d.State, d.Attempts = spool.DeliverySending, d.Attempts+1
		if err := jn.record(d, "", ""); err != nil {
			return d, err
		}
		reply, err := postPiece(ps, base, src, rec)
		if err != nil {
			d.Error = err.Error()
			d.State, d.NextTry = spool.DeliveryPending, time.Now().Add(time.Duration(ps.Backoff)<<(d.Attempts-1))
			if d.Attempts >= ps.Attempts {
				d.State, d.Error = spool.DeliveryFailed, "no success after "+itoa(d.Attempts)+" attempts; the last: "+d.Error
			}
			s.log.Warn().Err(err).Int64("job", j.ID).Int("piece", p.Seq).Int("attempt", d.Attempts).Str("state", d.State).Msg("posting a piece to the portal failed")
			return d, jn.record(d, "", "")
		}
		where = append(where, ps.Webhook+" ("+reply+")")
	} else {
		d.Attempts++
	}
	d.State, d.Error, d.NextTry = spool.DeliveryDelivered, "", time.Time{}
	d.Reply = strings.Join(where, "; ")
	if ps.PrintUnopenedAfter > 0 {
		d.OpenBy = time.Now().Add(time.Duration(ps.PrintUnopenedAfter)).UTC()
	}
	return d, jn.record(d, spool.TrackPortalDelivered, d.Reply)
}

// dropInto writes the piece's PDF and then its record into dir.
func dropInto(dir, base, src string, rec portalRecord) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	_, err = atomicfile.WriteFile(filepath.Join(dir, base+".pdf"), in, 0o644)
	in.Close()
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	_, err = atomicfile.WriteFile(filepath.Join(dir, base+".json"), bytes.NewReader(append(b, '\n')), 0o644)
	return err
}

// portalTarget is where a portal piece goes, as the archive records its
// recipient: the file in the portal directory (an absolute path) and the
// webhook (without credentials or query).
func portalTarget(ps *config.PortalSettings, base string) string {
	var where []string
	if ps.Dir != "" {
		file := filepath.Join(ps.Dir, base+".pdf")
		if abs, err := filepath.Abs(file); err == nil {
			file = abs
		}
		where = append(where, file)
	}
	if ps.Webhook != "" {
		u, err := url.Parse(ps.Webhook)
		if err == nil {
			u.User, u.RawQuery, u.Fragment = nil, "", "" // no credentials in the record
			where = append(where, u.String())
		}
	}
	return strings.Join(where, "; ")
}
