package pdf

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
)

// maxDecoded bounds the decoded size of the streams this package decodes
// itself (xref and object streams): a few bytes of input can claim
// gigabytes.
const maxDecoded = 256 << 20

// decode returns the decoded data of a stream: unfiltered, or FlateDecode
// with an optional PNG or TIFF predictor. Page content and images are never
// decoded: the writer copies them as they are.
func decode(s *stream) ([]byte, error) {
	filter, parms := s.dict.get("Filter"), s.dict.get("DecodeParms")
	if a, ok := filter.(array); ok && len(a) <= 1 {
		filter = nil
		if len(a) == 1 {
			filter = a[0]
		}
		if p, ok := parms.(array); ok && len(p) == 1 {
			parms = p[0]
		}
	}
	switch filter {
	case nil:
		return s.data, nil
	case name("FlateDecode"), name("Fl"):
	default:
		return nil, fmt.Errorf("stream filter %v is not supported here", filter)
	}
	data, err := inflate(s.data)
	if err != nil {
		return nil, err
	}
	p, _ := parms.(dict)
	return unpredict(data, p)
}

// inflate decompresses zlib data (or raw deflate data, which some writers
// produce), up to maxDecoded bytes. Data cut short or with a bad checksum
// is accepted as far as it goes, as other readers do.
func inflate(b []byte) ([]byte, error) {
	var r io.Reader
	if zr, err := zlib.NewReader(bytes.NewReader(b)); err == nil {
		r = zr
	} else {
		r = flate.NewReader(bytes.NewReader(b))
	}
	var out bytes.Buffer
	_, err := io.Copy(&out, io.LimitReader(r, maxDecoded+1))
	if out.Len() > maxDecoded {
		return nil, fmt.Errorf("stream decodes to more than %d bytes", maxDecoded)
	}
	if err != nil && (out.Len() == 0 || !tolerable(err)) {
		return nil, fmt.Errorf("FlateDecode: %v", err)
	}
	return out.Bytes(), nil
}

func tolerable(err error) bool {
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, zlib.ErrChecksum)
}

// unpredict undoes a predictor given in DecodeParms.
func unpredict(data []byte, p dict) ([]byte, error) {
	pred, _ := p.get("Predictor").(int64)
	if pred <= 1 {
		return data, nil
	}
	colors, bpc, columns := int64(1), int64(8), int64(1)
	if v, ok := p.get("Colors").(int64); ok {
		colors = v
	}
	if v, ok := p.get("BitsPerComponent").(int64); ok {
		bpc = v
	}
	if v, ok := p.get("Columns").(int64); ok {
		columns = v
	}
	if colors < 1 || colors > 32 || bpc < 1 || bpc > 16 || columns < 1 || columns > 1<<20 {
		return nil, fmt.Errorf("bad predictor parameters")
	}
	bpp := int((colors*bpc + 7) / 8)
	row := int((colors*bpc*columns + 7) / 8)
	if pred == 2 {
		if bpc != 8 {
			return nil, fmt.Errorf("TIFF predictor with %d bits per component is not supported", bpc)
		}
		for start := 0; start+row <= len(data); start += row {
			for i := start + bpp; i < start+row; i++ {
				data[i] += data[i-bpp]
			}
		}
		return data, nil
	}
	return unpredictPNG(data, row, bpp)
}

// unpredictPNG undoes PNG predictors: each row starts with a filter byte.
func unpredictPNG(data []byte, row, bpp int) ([]byte, error) {
	out := make([]byte, 0, len(data))
	prev := make([]byte, row)
	for start := 0; start < len(data); start += row + 1 {
		end := min(start+1+row, len(data))
		cur := make([]byte, row)
		copy(cur, data[start+1:end])
		ft := data[start]
		for i := range cur {
			var left, upLeft byte
			if i >= bpp {
				left, upLeft = cur[i-bpp], prev[i-bpp]
			}
			up := prev[i]
			switch ft {
			case 0:
			case 1:
				cur[i] += left
			case 2:
				cur[i] += up
			case 3:
				cur[i] += byte((int(left) + int(up)) / 2)
			case 4:
				cur[i] += paeth(left, up, upLeft)
			default:
				return nil, fmt.Errorf("bad PNG predictor %d", ft)
			}
		}
		out = append(out, cur[:end-start-1]...)
		prev = cur
	}
	return out, nil
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
