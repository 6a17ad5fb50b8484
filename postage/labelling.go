package postage

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// LoadLabellingList reads a USPS labelling list (L801: 3-digit ZIP prefix
// to AADC) as CSV: per row, the prefixes in the first column (several
// separated by commas or spaces, ranges as 117-119) and the label in the
// second, e.g.
//
//	"005, 115, 117-119","MID-ISLAND NY 117"
//
// Rows starting with # and a header row without digits are skipped. A later
// row wins for a prefix given twice.
func LoadLabellingList(r io.Reader) (map[string]string, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	m := map[string]string{}
	for row := 1; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrLabellingList, err)
		}
		if row == 1 && !strings.ContainsAny(rec[0], "0123456789") {
			continue
		}
		if len(rec) < 2 || strings.TrimSpace(rec[1]) == "" {
			return nil, fmt.Errorf("%w: row %d: want prefixes, then a label", ErrLabellingList, row)
		}
		label := strings.TrimSpace(rec[1])
		if err := addPrefixes(m, rec[0], label); err != nil {
			return nil, fmt.Errorf("%w: row %d: %v", ErrLabellingList, row, err)
		}
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("%w: no entries", ErrLabellingList)
	}
	return m, nil
}

// addPrefixes maps each prefix or range of prefixes in list to label.
func addPrefixes(m map[string]string, list, label string) error {
	for _, item := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		from, to, isRange := strings.Cut(item, "-")
		if !isRange {
			to = from
		}
		a, errA := prefixNumber(from)
		b, errB := prefixNumber(to)
		if errA != nil || errB != nil || a > b {
			return fmt.Errorf("%q is not a 3-digit ZIP prefix or a range of them", item)
		}
		for n := a; n <= b; n++ {
			m[fmt.Sprintf("%03d", n)] = label
		}
	}
	return nil
}

// prefixNumber reads a 3-digit ZIP prefix.
func prefixNumber(s string) (int, error) {
	if len(s) != 3 || nonDigits(s) {
		return 0, errors.New("not 3 digits")
	}
	return strconv.Atoi(s)
}

// nonDigits reports whether s holds anything but 0-9.
func nonDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return true
		}
	}
	return false
}
