package postage

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Money is an amount in ten-thousandths of the currency unit (€0.95 is
// 9500), so that prices with fractions of a cent and percentage discounts
// add up exactly. It is written as a decimal number in YAML and JSON.
type Money int64

// moneyScale is the number of Money units in one currency unit.
const moneyScale = 10000

// ParseMoney reads a decimal amount such as "0.95", "1", "-0.398".
func ParseMoney(s string) (Money, error) {
	v, err := parseFixed(s, 4)
	if err != nil {
		return 0, fmt.Errorf("amount %q: %w", s, err)
	}
	return Money(v), nil
}

// String writes m with at least two decimals: "0.95", "0.2375", "-1.10".
func (m Money) String() string { return formatFixed(int64(m), 4, 2) }

// MarshalJSON writes m as a JSON number.
func (m Money) MarshalJSON() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalJSON reads a JSON number.
func (m *Money) UnmarshalJSON(b []byte) error {
	v, err := ParseMoney(strings.Trim(string(b), `"`))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// UnmarshalYAML reads a decimal number.
func (m *Money) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseMoney(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*m = v
	return nil
}

// Percent of m, rounded half away from zero; p is in hundredths of a
// percent (2500 is 25 %).
func (m Money) Percent(p int64) Money {
	v := int64(m) * p
	if v >= 0 {
		return Money((v + 5000) / 10000)
	}
	return Money((v - 5000) / 10000)
}

// Weight is a weight in milligrams, written as decimal grams in JSON.
type Weight int64

// Grams returns w as a weight in milligrams.
func Grams(g float64) Weight { return Weight(math.Round(g * 1000)) }

// String writes w in grams: "19.97".
func (w Weight) String() string { return formatFixed(int64(w), 3, 0) }

// MarshalJSON writes w as a JSON number of grams.
func (w Weight) MarshalJSON() ([]byte, error) { return []byte(w.String()), nil }

// UnmarshalJSON reads a JSON number of grams.
func (w *Weight) UnmarshalJSON(b []byte) error {
	v, err := parseFixed(strings.Trim(string(b), `"`), 3)
	if err != nil {
		return fmt.Errorf("postage: weight %s: %w", b, err)
	}
	*w = Weight(v)
	return nil
}

// parseFixed reads the decimal s as an integer scaled by 10^places. More
// decimals than places are an error, not rounded away.
func parseFixed(s string, places int) (int64, error) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	frac = strings.TrimRight(frac, "0")
	if whole == "" && frac == "" || len(frac) > places || len(whole) > 12 {
		return 0, fmt.Errorf("want a decimal number with at most %d decimals", places)
	}
	if whole == "" {
		whole = "0"
	}
	digits := whole + frac + strings.Repeat("0", places-len(frac))
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("want a decimal number with at most %d decimals", places)
		}
	}
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, err
	}
	if neg {
		v = -v
	}
	return v, nil
}

// formatFixed writes v/10^places with at least minPlaces decimals.
func formatFixed(v int64, places, minPlaces int) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	scale := int64(math.Pow10(places))
	frac := fmt.Sprintf("%0*d", places, v%scale)
	for len(frac) > minPlaces && frac[len(frac)-1] == '0' {
		frac = frac[:len(frac)-1]
	}
	if frac == "" {
		return fmt.Sprintf("%s%d", sign, v/scale)
	}
	return fmt.Sprintf("%s%d.%s", sign, v/scale, frac)
}

// Percent is a percentage in hundredths of a percent (25 % is 2500),
// written as a decimal number of percent ("25", "12.5").
type Percent int64

// String writes p as a number of percent, without the sign.
func (p Percent) String() string { return formatFixed(int64(p), 2, 0) }

// MarshalJSON writes p as a JSON number of percent.
func (p Percent) MarshalJSON() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalYAML reads a decimal number of percent between 0 and 100.
func (p *Percent) UnmarshalYAML(n *yaml.Node) error {
	v, err := parseFixed(n.Value, 2)
	if err != nil || v < 0 || v > 10000 {
		return fmt.Errorf("line %d: percentage %q: want a number from 0 to 100", n.Line, n.Value)
	}
	*p = Percent(v)
	return nil
}

// EnvelopeWeight estimates the weight of an envelope from its face size
// and paper grammage as face area × 2.2 × grammage (two layers plus flap and
// seams). Use measured weights from the stock where there are any, and add
// about 0.3 g for a window.
func EnvelopeWeight(widthMM, heightMM, gsm float64) Weight {
	return Grams(widthMM * heightMM / 1e6 * 2.2 * gsm)
}
