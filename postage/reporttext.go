package postage

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

// maxListedExceptions is how many exceptions WriteText lists one by one.
const maxListedExceptions = 20

// WriteText writes the report as tables for people: the lines, before and
// after with the saving, householding, outputs, exceptions and notes.
// Amounts marked * use a price that is not confirmed.
func (r *Report) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	ew.printf("postage plan: carrier %s, rate profile %s (effective %s), prices in %s\n\n",
		r.Carrier, r.Profile, r.Effective, r.Currency)
	r.writeLines(ew)
	ew.printf("\n")
	r.writeCosts(ew)
	ew.printf("\n")
	r.writeFacts(ew)
	r.writeExceptions(ew)
	if d := r.Digital; d != nil {
		ew.printf("digital delivery: %d pieces left the print run (%s), postage saved %s\n", d.Pieces, channelCounts(d.ByChannel), d.PostageSaved)
	}
	if len(r.Notes) > 0 {
		ew.printf("notes:\n")
		for _, n := range r.Notes {
			ew.printf("  %s\n", n)
		}
	}
	if r.Unconfirmed {
		ew.printf("* price not confirmed by a published source; check the rate profile\n")
	}
	return ew.err
}

// writeLines writes the table of lines with its total.
func (r *Report) writeLines(ew *errWriter) {
	tw := tabwriter.NewWriter(ew, 0, 8, 2, ' ', 0)
	fmt.Fprint(tw, "CARRIER\tPRODUCT\tLEVEL\tPIECES\tENVELOPES\tSHEETS\tWEIGHT KG\tPOSTAGE\n")
	for _, l := range r.Lines {
		product := l.Product
		if product == "" {
			product = "(not costed)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%s\t%s\n", l.Carrier, product, l.Level,
			l.Pieces, l.Envelopes, l.Sheets, kg(l.Weight), star(l.Postage, l.Unconfirmed))
	}
	a := r.After
	fmt.Fprintf(tw, "total\t\t\t%d\t%d\t%d\t%s\t%s\n", a.Pieces, a.Envelopes, a.Sheets, kg(a.Weight), star(a.Postage, r.Unconfirmed))
	tw.Flush()
}

// writeCosts writes before, after and the saving.
func (r *Report) writeCosts(ew *errWriter) {
	tw := tabwriter.NewWriter(ew, 0, 8, 2, ' ', 0)
	fmt.Fprint(tw, "\tPIECES\tENVELOPES\tSHEETS\tWEIGHT KG\tPOSTAGE\n")
	for _, c := range []struct {
		name string
		c    Cost
	}{{"before", r.Before}, {"after", r.After}} {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\n", c.name, c.c.Pieces, c.c.Envelopes, c.c.Sheets, kg(c.c.Weight), c.c.Postage)
	}
	fmt.Fprintf(tw, "saving\t\t%d\t%d\t%s\t%s\n", r.Before.Envelopes-r.After.Envelopes, r.Before.Sheets-r.After.Sheets,
		kg(r.Before.Weight-r.After.Weight), r.Saving)
	tw.Flush()
	ew.printf("saving %s %s (%.1f %%)\n", r.Saving, r.Currency, r.SavingPercent)
	if r.Before.Uncosted+r.After.Uncosted > 0 {
		ew.printf("not costed: %d envelopes before, %d after\n", r.Before.Uncosted, r.After.Uncosted)
	}
}

// writeFacts writes the settings and what householding did, and the
// outputs.
func (r *Report) writeFacts(ew *errWriter) {
	ew.printf("duplex %s, presort %s\n", onOff(r.Duplex), onOff(r.Presort))
	h := r.Household
	if h.Enabled {
		ew.printf("householding on: %d households, %d pieces merged into %d envelopes, %d envelopes saved\n",
			h.Households, h.Pieces, h.Envelopes, h.Saved)
	} else {
		ew.printf("householding off\n")
	}
	for _, o := range r.Outputs {
		ew.printf("output %s: %d pieces in %d envelopes, %d sheets\n", o.Output, o.Pieces, o.Envelopes, o.Sheets)
	}
}

// writeExceptions lists the exceptions, at most maxListedExceptions.
func (r *Report) writeExceptions(ew *errWriter) {
	if len(r.Exceptions) == 0 {
		return
	}
	codes := make([]string, 0, len(r.ExceptionCounts))
	for c := range r.ExceptionCounts {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = fmt.Sprintf("%s %d", c, r.ExceptionCounts[c])
	}
	ew.printf("exceptions: %d (%s); %d pieces held\n", len(r.Exceptions), strings.Join(parts, ", "), r.Held)
	for i, x := range r.Exceptions {
		if i == maxListedExceptions {
			ew.printf("  ... and %d more\n", len(r.Exceptions)-i)
			break
		}
		ew.printf("  piece %d: %s, %s: %s\n", x.Seq, x.Code, x.Action, printable(x.Reason))
	}
}

// kg writes w in kilograms with three decimals.
func kg(w Weight) string { return formatFixed((int64(w)+500)/1000, 3, 3) }

// star writes m, marked * if unconfirmed.
func star(m Money, unconfirmed bool) string {
	if unconfirmed {
		return m.String() + "*"
	}
	return m.String()
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// printable replaces control characters, which come from piece metadata.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}

// errWriter keeps the first write error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, args ...any) { fmt.Fprintf(e, format, args...) }

// channelCounts lists counts by channel in name order: "email 3, portal 2".
func channelCounts(m map[string]int) string {
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = fmt.Sprintf("%s %d", name, m[name])
	}
	return strings.Join(parts, ", ")
}
