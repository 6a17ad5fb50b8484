package marks

import (
	"fmt"
	"strings"
)

// Check characters.
const (
	CheckNone  = "none"
	CheckMod10 = "mod10"
	CheckMod43 = "mod43"
)

// code39Chars are the characters of Code 39, in the order of their values
// for the modulo 43 check character.
const code39Chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%"

// appendCheck appends the check character of kind to s.
func appendCheck(s, kind string) (string, error) {
	switch kind {
	case "", CheckNone:
		return s, nil
	case CheckMod10:
		d, err := mod10(s)
		if err != nil {
			return "", err
		}
		return s + string(d), nil
	case CheckMod43:
		c, err := mod43(s)
		if err != nil {
			return "", err
		}
		return s + string(c), nil
	}
	return "", fmt.Errorf("%w: check %q", ErrProfile, kind)
}

// mod10 is the modulo 10 check digit with weights 3 and 1 from the right
// (Interleaved 2 of 5, GS1).
func mod10(s string) (byte, error) {
	if !isDigits(s) {
		return 0, fmt.Errorf("%w: %q: a mod10 check digit needs digits only", ErrContent, s)
	}
	sum := 0
	for i := range len(s) {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10), nil
}

// mod43 is Code 39's modulo 43 check character.
func mod43(s string) (byte, error) {
	sum := 0
	for i := range len(s) {
		v := strings.IndexByte(code39Chars, s[i])
		if v < 0 {
			return 0, fmt.Errorf("%w: %q: %q is not a Code 39 character", ErrContent, s, s[i])
		}
		sum += v
	}
	return code39Chars[sum%43], nil
}
