package diskspace

import (
	"fmt"
	"strconv"
	"strings"
)

// Watermark is the free space omsd keeps on the filesystems it writes to:
// a number of bytes, or a share of each filesystem's size.
type Watermark struct {
	Bytes   uint64  // when Percent is 0
	Percent float64 // of the filesystem's size, 0 < Percent < 100
}

// units are the size suffixes ParseWatermark accepts, longest first.
var units = []struct {
	suffix string
	mult   uint64
}{
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40},
	{"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12},
	{"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"t", 1 << 40},
	{"b", 1},
}

// ParseWatermark reads a watermark: "64MiB", "500MB", "1G", "1048576"
// (bytes), or "2%" (of each filesystem's size). "0" turns the watermark
// off; resource errors still hold jobs.
func ParseWatermark(s string) (Watermark, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if p, ok := strings.CutSuffix(t, "%"); ok {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || v < 0 || v >= 100 {
			return Watermark{}, fmt.Errorf("min_free %q: want a share below 100%% like 2%%, or bytes like 64MiB", s)
		}
		return Watermark{Percent: v}, nil
	}
	mult := uint64(1)
	for _, u := range units {
		if n, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = strings.TrimSpace(n), u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v < 0 || v*float64(mult) > 1<<62 {
		return Watermark{}, fmt.Errorf("min_free %q: want bytes like 64MiB, 500MB or 1048576, or a share like 2%%", s)
	}
	return Watermark{Bytes: uint64(v * float64(mult))}, nil
}

// For returns the watermark in bytes on a filesystem of total bytes.
func (w Watermark) For(total uint64) uint64 {
	if w.Percent > 0 {
		return uint64(float64(total) * w.Percent / 100)
	}
	return w.Bytes
}

// String is the watermark as ParseWatermark reads it.
func (w Watermark) String() string {
	if w.Percent > 0 {
		return strconv.FormatFloat(w.Percent, 'f', -1, 64) + "%"
	}
	return FormatBytes(w.Bytes)
}

// FormatBytes writes n in binary units with one decimal: "12.5 MiB".
func FormatBytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}
