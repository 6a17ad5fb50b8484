package archive

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/zstd"

	"github.com/omsd/omsd/archive/index"
)

// A segment is written once and never changed:
//
//	"OMSDSEG1"
//	frame ...          each piece's bytes, zstd-compressed on its own
//	piece table        the pieces' records, JSON
//	trailer (56 bytes) table offset (8), table length (8),
//	                   SHA-256 of everything before the digest (32), "OMSDEND1"
//
// The ledger holds the SHA-256 of the whole segment, trailer included.
const (
	segMagic     = "OMSDSEG1"
	segEnd       = "OMSDEND1"
	trailerSize  = 8 + 8 + sha256.Size + 8
	maxTableSize = 256 << 20
)

// ErrDamaged is wrapped by errors about a segment whose bytes are not what
// was written.
var ErrDamaged = errors.New("archive: segment damaged")

// The encoder compresses at zstd's fastest level (about 1:6 on print
// data, against 1:6.5 at the default level, at twice the speed), one
// piece on each core at a time; EncodeAll reuses its encoders.
var (
	encoder, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(runtime.GOMAXPROCS(0)))
	decoder, _ = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(1<<30))
)

// Piece is one piece to archive: its record (Segment, Offset, Length,
// Size and SHA256 are filled in here) and its bytes as sent.
type Piece struct {
	Record index.Record
	Data   []byte
}

// built is a segment ready to store: its bytes, their SHA-256 (hex, as
// the ledger holds it) and the pieces' records.
type built struct {
	seg    []byte
	sha256 string
	recs   []index.Record
}

// buildSegment frames and compresses pieces into a segment named name,
// the pieces hashed and compressed on every core.
func buildSegment(name string, pieces []Piece) built {
	frames := make([][]byte, len(pieces))
	recs := make([]index.Record, len(pieces))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(pieces)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(pieces); i = int(next.Add(1) - 1) {
				p := pieces[i]
				sum := sha256.Sum256(p.Data)
				frames[i] = encoder.EncodeAll(p.Data, make([]byte, 0, len(p.Data)/4+64))
				recs[i] = p.Record
				recs[i].Size, recs[i].SHA256 = int64(len(p.Data)), hex.EncodeToString(sum[:])
			}
		})
	}
	wg.Wait()
	size := len(segMagic)
	for _, f := range frames {
		size += len(f)
	}
	off := int64(len(segMagic))
	for i := range recs {
		recs[i].Segment, recs[i].Offset, recs[i].Length = name, off, int64(len(frames[i]))
		off += recs[i].Length
	}
	table, _ := json.Marshal(recs)
	buf := make([]byte, 0, size+len(table)+trailerSize)
	buf = append(buf, segMagic...)
	for _, f := range frames {
		buf = append(buf, f...)
	}
	tableAt := len(buf)
	buf = append(buf, table...)
	buf = binary.BigEndian.AppendUint64(buf, uint64(tableAt))
	buf = binary.BigEndian.AppendUint64(buf, uint64(len(table)))
	h := sha256.New()
	h.Write(buf)
	buf = h.Sum(buf)
	h.Write(buf[len(buf)-sha256.Size:])
	buf = append(buf, segEnd...)
	h.Write([]byte(segEnd))
	return built{seg: buf, sha256: hex.EncodeToString(h.Sum(nil)), recs: recs}
}

// readTable checks a whole segment's framing and digest and returns its
// piece table.
func readTable(seg []byte) ([]index.Record, error) {
	n := len(seg)
	if n < len(segMagic)+trailerSize || string(seg[:len(segMagic)]) != segMagic || string(seg[n-8:]) != segEnd {
		return nil, fmt.Errorf("%w: not a complete segment (%d bytes)", ErrDamaged, n)
	}
	tr := seg[n-trailerSize:]
	off, size := binary.BigEndian.Uint64(tr[:8]), binary.BigEndian.Uint64(tr[8:16])
	if sum := sha256.Sum256(seg[:n-trailerSize+16]); !bytes.Equal(sum[:], tr[16:48]) {
		return nil, fmt.Errorf("%w: its digest does not match its contents", ErrDamaged)
	}
	if size > maxTableSize || off+size != uint64(n-trailerSize) {
		return nil, fmt.Errorf("%w: piece table at %d+%d does not fit", ErrDamaged, off, size)
	}
	var recs []index.Record
	if err := json.Unmarshal(seg[off:off+size], &recs); err != nil {
		return nil, fmt.Errorf("%w: piece table: %w", ErrDamaged, err)
	}
	return recs, nil
}

// openFrame decompresses one piece's frame and checks its digest.
func openFrame(r index.Record, frame []byte) ([]byte, error) {
	data, err := decoder.DecodeAll(frame, make([]byte, 0, max(0, min(r.Size, 1<<30))))
	if err != nil {
		return nil, fmt.Errorf("%w: piece %s in %s: %w", ErrDamaged, r.ID, r.Segment, err)
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != r.SHA256 {
		return nil, fmt.Errorf("%w: piece %s in %s: its SHA-256 does not match the recorded one", ErrDamaged, r.ID, r.Segment)
	}
	return data, nil
}

// digest is the hex SHA-256 of b.
func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
