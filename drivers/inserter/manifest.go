// Package inserter writes the control file an inserting line reads before
// the paper arrives: the manifest of one print output, one record per
// envelope (mail piece ID, its letters and their ids, sheets, select-feed
// stations, envelope type, address, divert), or one per letter where the
// layout's unit is piece, in a record layout of package records (the
// shipped jaf and mrdf, or the line's own).
//
// A manifest is written atomically into the line's folder: a temporary
// hidden name, fsync, rename, fsync of the folder. A line polling the
// folder sees the whole file or nothing.
package inserter

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/omsd/omsd/meta"
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
	// Pieces are the letters in print order; consecutive letters with one
	// Envelope share an envelope.
	Pieces []Piece
}

// Piece is one mail piece of the output.
type Piece struct {
	Seq    int // the piece id
	Pages  int
	Sheets int
	// Envelope is the envelope (mail piece) ID the marks' barcodes carry:
	// the plan's envelope, else the piece's seq.
	Envelope     int
	EnvelopeType string
	// Stations are the select-feed stations (1-16) that feed the
	// envelope's inserts.
	Stations   []int
	Address    []string // address lines, up to six
	PostalCode string
	Divert     bool
	Meta       meta.Fields
}

// maxStations is the number of feeder flags a manifest carries.
const maxStations = 16

// ErrManifest is wrapped by errors about manifest content.
var ErrManifest = errors.New("inserter: invalid manifest")

// Encode writes m in layout l: a header record and a trailer record when
// the layout has them, and one piece record per envelope (mail piece) with
// its letters, or, in a layout of unit piece, one per letter. The
// trailer's count is the number of piece records.
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
	room := idsRoom(l)
	n := 0
	for _, env := range Envelopes(m.Pieces) {
		recs := [][]Piece{env}
		if l.PerPiece() {
			recs = recs[:0]
			for i := range env {
				recs = append(recs, env[i:i+1])
			}
		}
		for i, rec := range recs {
			v, err := Values(m, rec)
			if err == nil && l.PerPiece() {
				letterOf(v, env, i)
			}
			if err == nil && len(v["letter_ids"]) > room {
				v["letter_ids"] = "" // no room for them: the count stays
			}
			if err == nil {
				err = rw.Write("piece", v)
			}
			if err != nil {
				return fmt.Errorf("manifest envelope %d: %w", env[0].Envelope, err)
			}
			n++
		}
	}
	if _, ok := l.Record("trailer"); ok {
		head["count"] = strconv.Itoa(n)
		if err := rw.Write("trailer", head); err != nil {
			return fmt.Errorf("manifest trailer: %w", err)
		}
	}
	return rw.Flush()
}

// idsRoom is the room a fixed layout's piece record has for letter_ids:
// the shortest field that holds them alone; unbounded otherwise.
func idsRoom(l *records.Layout) int {
	room := math.MaxInt
	if r, ok := l.Record("piece"); ok && l.Kind == records.KindFixed {
		for _, f := range r.Fields {
			if strings.Contains(f.Value, "{letter_ids}") {
				room = min(room, f.Length)
			}
		}
	}
	return room
}

// Envelopes groups pieces, in order, into the envelopes they go into:
// consecutive pieces with one envelope ID.
func Envelopes(pieces []Piece) [][]Piece {
	var out [][]Piece
	for i, p := range pieces {
		if i == 0 || p.Envelope != pieces[i-1].Envelope {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], p)
	}
	return out
}

func headerValues(m Manifest) map[string]string {
	return map[string]string{
		"job": strconv.FormatInt(m.Job, 10), "job_name": m.JobName, "output": m.Output,
		"created": m.Created.UTC().Format("2006-01-02 15:04:05"), "generation": strconv.Itoa(m.Generation),
	}
}

// Values are the template fields of one piece record, of the letters env
// of one envelope (in insertion order): job, id (the mail piece ID: the
// envelope ID the marks' barcodes carry, the plan's envelope or else the
// piece's seq), envelope (the same), seq (the first letter's piece id),
// letters (how many), letter_ids (their piece ids, space-separated; empty
// where a fixed layout's field has no room for them all),
// pages and sheets (of all the letters), envelope_type, feeder_flags (16
// digits, station 1 first), feeder_flags_2_10 (stations 2-10), divert (0
// or 1: any letter diverted), address1 to address6, postal_code and
// meta.KEY (of the first letter), and generation.
func Values(m Manifest, env []Piece) (map[string]string, error) {
	if len(env) == 0 {
		return nil, fmt.Errorf("%w: an envelope without letters", ErrManifest)
	}
	p := env[0]
	flags := []byte(strings.Repeat("0", maxStations))
	for _, st := range p.Stations {
		if st < 1 || st > maxStations {
			return nil, fmt.Errorf("%w: station %d (want 1-%d)", ErrManifest, st, maxStations)
		}
		flags[st-1] = '1'
	}
	v := headerValues(m)
	pages, sheets, divert := 0, 0, "0"
	ids := make([]string, len(env))
	for i, l := range env {
		pages, sheets = pages+l.Pages, sheets+l.Sheets
		ids[i] = strconv.Itoa(l.Seq)
		if l.Divert {
			divert = "1"
		}
	}
	v["id"], v["seq"], v["letters"], v["letter_ids"] = strconv.Itoa(p.Envelope), ids[0], strconv.Itoa(len(env)), strings.Join(ids, " ")
	v["pages"], v["sheets"] = strconv.Itoa(pages), strconv.Itoa(sheets)
	v["envelope"], v["envelope_type"] = strconv.Itoa(p.Envelope), p.EnvelopeType
	v["feeder_flags"], v["feeder_flags_2_10"] = string(flags), string(flags[1:10])
	v["divert"], v["postal_code"] = divert, p.PostalCode
	for i, a := range p.Address {
		if i < 6 {
			v["address"+strconv.Itoa(i+1)] = a
		}
	}
	for k, val := range p.Meta.All() {
		v["meta."+k] = val
	}
	return v, nil
}

// letterOf turns the values of a one-letter record into those of letter
// i of envelope env, for a layout of unit piece: id is the letter's piece
// id, letter and letters say which of how many, and only the envelope's
// first letter fires the feeders (the inserts go in once).
func letterOf(v map[string]string, env []Piece, i int) {
	v["id"], v["letter"], v["letters"] = v["seq"], strconv.Itoa(i+1), strconv.Itoa(len(env))
	if i > 0 {
		v["feeder_flags"], v["feeder_flags_2_10"] = strings.Repeat("0", maxStations), strings.Repeat("0", 9)
	}
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
