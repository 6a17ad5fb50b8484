package archive

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

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

var (
	encoder, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1))
	decoder, _ = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(1<<30))
)

// Piece is one piece to archive: its record (Segment, Offset, Length,
// Size and SHA256 are filled in here) and its bytes as sent.
type Piece struct {
	Record index.Record
	Data   []byte
}

// buildSegment frames and compresses pieces into a segment named name;
// it returns the segment's bytes and the pieces' records.
func buildSegment(name string, pieces []Piece) ([]byte, []index.Record) {
	var buf bytes.Buffer
	buf.WriteString(segMagic)
	recs := make([]index.Record, len(pieces))
	for i, p := range pieces {
		r := p.Record
		sum := sha256.Sum256(p.Data)
		frame := encoder.EncodeAll(p.Data, nil)
		r.Segment, r.Offset, r.Length = name, int64(buf.Len()), int64(len(frame))
		r.Size, r.SHA256 = int64(len(p.Data)), hex.EncodeToString(sum[:])
		buf.Write(frame)
		recs[i] = r
	}
	table, _ := json.Marshal(recs)
	off := buf.Len()
	buf.Write(table)
	buf.Write(binary.BigEndian.AppendUint64(nil, uint64(off)))
	buf.Write(binary.BigEndian.AppendUint64(nil, uint64(len(table))))
	sum := sha256.Sum256(buf.Bytes())
	buf.Write(sum[:])
	buf.WriteString(segEnd)
	return buf.Bytes(), recs
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
