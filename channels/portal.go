package channels

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
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

// portal drops piece p of job j into the portal directory: its PDF, then
// its JSON record (JOB-SEQ.pdf, JOB-SEQ.json), each written atomically, so
// that a portal that reads the records sees only complete files. Writing
// them again after a crash writes the same files.
func (s *Service) portal(wf config.Workflow, j spool.Job, docs *pieceDocs, p mailpiece.Piece, d spool.Delivery) (spool.Delivery, error) {
	src, err := docs.file(p)
	if err != nil {
		return d, err
	}
	dir := wf.Channels.Portal.Dir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return d, err
	}
	base := strconv.FormatInt(j.ID, 10) + "-" + strconv.Itoa(p.Seq)
	in, err := os.Open(src)
	if err != nil {
		return d, err
	}
	_, err = atomicfile.WriteFile(filepath.Join(dir, base+".pdf"), in, 0o644)
	in.Close()
	if err != nil {
		return d, err
	}
	rec := portalRecord{Job: j.ID, Seq: p.Seq, Name: p.Name, File: base + ".pdf", Pages: p.Pages, Meta: p.Meta, Delivered: time.Now().UTC()}
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return d, err
	}
	if _, err := atomicfile.WriteFile(filepath.Join(dir, base+".json"), bytes.NewReader(append(b, '\n')), 0o644); err != nil {
		return d, err
	}
	d.State, d.Attempts, d.Reply = spool.DeliveryDelivered, d.Attempts+1, filepath.Join(dir, base+".pdf")
	return d, s.record(j, d, spool.TrackPortalDelivered, d.Reply)
}
