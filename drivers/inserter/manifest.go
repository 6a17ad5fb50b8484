// Package inserter writes the control file an inserting line reads before
// the paper arrives: the per-piece manifest of one print output (piece id,
// sheets, select-feed stations, envelope, address, divert), in a record
// layout of package records (the shipped jaf and mrdf, or the line's own).
//
// A manifest is written atomically into the line's folder: a temporary
// hidden name, fsync, rename, fsync of the folder. A line polling the
// folder sees the whole file or nothing.
package inserter

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/omsd/omsd/records"
)

// Manifest is the control data of one print output.
type Manifest struct {
	Job     int64
	JobName string
	Output  string // the output's name, e.g. "main" or "main.2" for a chunk
	// Generation is the reprint generation: 0 for the first print.
	Generation int
	Created    time.Time
	Pieces     []Piece // in print order
}

// Piece is one mail piece of the output.
type Piece struct {
	Seq          int // the piece id
	Pages        int
	Sheets       int
	Envelope     int // the plan's envelope, 0 without a plan
	EnvelopeType string
	// Stations are the select-feed stations (1-16) that feed the
	// envelope's inserts.
	Stations   []int
	Address    []string // address lines, up to six
	PostalCode string
	Divert     bool
	Meta       map[string]string
}

// maxStations is the number of feeder flags a manifest carries.
const maxStations = 16

// ErrManifest is wrapped by errors about manifest content.
var ErrManifest = errors.New("inserter: invalid manifest")

// Encode writes m in layout l: a header record and a trailer record when
// the layout has them, and one piece record per piece.
func Encode(w io.Writer, l *records.Layout, m Manifest) error {
	rw := records.NewWriter(w, l)
	head := headerValues(m)
	if _, ok := l.Record("header"); ok {
		if err := rw.Write("header", head); err != nil {
			return fmt.Errorf("manifest header: %w", err)
		}
	}
	if _, ok := l.Record("piece"); !ok {
		return fmt.Errorf("%w: layout %s has no piece record", ErrManifest, l.Name)
	}
	for _, p := range m.Pieces {
		v, err := Values(m, p)
		if err == nil {
			err = rw.Write("piece", v)
		}
		if err != nil {
			return fmt.Errorf("manifest piece %d: %w", p.Seq, err)
		}
	}
	if _, ok := l.Record("trailer"); ok {
		head["count"] = strconv.Itoa(len(m.Pieces))
		if err := rw.Write("trailer", head); err != nil {
			return fmt.Errorf("manifest trailer: %w", err)
		}
	}
	return rw.Flush()
}

func headerValues(m Manifest) map[string]string {
	return map[string]string{
		"job": strconv.FormatInt(m.Job, 10), "job_name": m.JobName, "output": m.Output,
		"created": m.Created.UTC().Format("2006-01-02 15:04:05"), "generation": strconv.Itoa(m.Generation),
	}
}

// Values are the template fields of one piece record: job, seq, pages,
// sheets, envelope (the envelope ID barcodes carry: the plan's, else the
// piece's seq), envelope_type, feeder_flags (16 digits, station 1
// first), feeder_flags_2_10 (stations 2-10), divert (0 or 1), address1 to
// address6, postal_code, generation, and meta.KEY for every metadata field.
func Values(m Manifest, p Piece) (map[string]string, error) {
	flags := []byte(strings.Repeat("0", maxStations))
	for _, st := range p.Stations {
		if st < 1 || st > maxStations {
			return nil, fmt.Errorf("%w: station %d (want 1-%d)", ErrManifest, st, maxStations)
		}
		flags[st-1] = '1'
	}
	v := headerValues(m)
	v["seq"], v["pages"], v["sheets"] = strconv.Itoa(p.Seq), strconv.Itoa(p.Pages), strconv.Itoa(p.Sheets)
	v["envelope"], v["envelope_type"] = strconv.Itoa(p.Envelope), p.EnvelopeType
	v["feeder_flags"], v["feeder_flags_2_10"] = string(flags), string(flags[1:10])
	v["divert"], v["postal_code"] = "0", p.PostalCode
	if p.Divert {
		v["divert"] = "1"
	}
	for i, a := range p.Address {
		if i < 6 {
			v["address"+strconv.Itoa(i+1)] = a
		}
	}
	for k, val := range p.Meta {
		v["meta."+k] = val
	}
	return v, nil
}

// FileName is the manifest's name in the line's folder: the job, the
// output and the generation, with the layout's extension.
func FileName(l *records.Layout, m Manifest) string {
	name := fmt.Sprintf("job%06d-%s", m.Job, m.Output)
	if m.Generation > 0 {
		name += fmt.Sprintf("-r%d", m.Generation)
	}
	ext := l.Extension
	if ext == "" {
		ext = ".txt"
	}
	return name + ext
}
