package marks

import (
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Length is a distance on the sheet in PostScript points (1/72 inch). In
// YAML and JSON it is a number with its unit: mm, cm, in or pt.
type Length float64

// Units of Length.
const (
	Point      Length = 1
	Inch       Length = 72
	Millimetre Length = 72 / 25.4
)

// MM is a length of v millimetres.
func MM(v float64) Length { return Length(v) * Millimetre }

// Points is l in points.
func (l Length) Points() float64 { return float64(l) }

// unitScale maps a unit suffix to its size in points.
var unitScale = map[string]Length{"mm": Millimetre, "cm": 10 * Millimetre, "in": Inch, "pt": Point}

// ParseLength reads a decimal number with its unit: "4.23mm", "0.5 pt",
// "0.1667in".
func ParseLength(s string) (Length, error) {
	t := strings.TrimSpace(s)
	if len(t) < 3 {
		return 0, fmt.Errorf("length %q: want a number and a unit (mm, cm, in, pt)", s)
	}
	scale, ok := unitScale[t[len(t)-2:]]
	if !ok {
		return 0, fmt.Errorf("length %q: want a number and a unit (mm, cm, in, pt)", s)
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(t[:len(t)-2]), 64)
	if err != nil || v < 0 || v > 1e4 {
		return 0, fmt.Errorf("length %q: want a number from 0 to 10000 and a unit (mm, cm, in, pt)", s)
	}
	return Length(v) * scale, nil
}

// String writes l in millimetres: "4.23mm".
func (l Length) String() string {
	return strconv.FormatFloat(float64(l/Millimetre), 'f', -1, 32) + "mm"
}

// MarshalText writes l as String does.
func (l Length) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText reads a length with its unit.
func (l *Length) UnmarshalText(b []byte) error {
	v, err := ParseLength(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}

// UnmarshalYAML reads a length with its unit, naming the line on error.
func (l *Length) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want a length such as 4.23mm", n.Line)
	}
	v, err := ParseLength(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*l = v
	return nil
}
