package records

import (
	"errors"
	"fmt"
	"strings"
)

// ErrLayout is wrapped by every error about a layout definition.
var ErrLayout = errors.New("records: invalid layout")

// Layout kinds.
const (
	KindFixed = "fixed"
	KindCSV   = "csv"
)

// MaxLineLength bounds a record line in any layout.
const MaxLineLength = 64 << 10

// Layout is one record format.
type Layout struct {
	Name        string `yaml:"name" json:"name"`
	Description string `yaml:"description" json:"description,omitempty"`
	// Kind is fixed (fixed-width fields) or csv.
	Kind string `yaml:"kind" json:"kind"`
	// Records are the kinds of line the file holds. A fixed layout tells
	// them apart by their Tag; a CSV layout has exactly one.
	Records []RecordType `yaml:"records" json:"records"`
	// Header, for CSV: the first line names the columns.
	Header bool `yaml:"header" json:"header,omitempty"`
	// Comma is the CSV field separator; default ",".
	Comma string `yaml:"comma" json:"comma,omitempty"`
	// Dispositions maps a result file's disposition codes to piece events
	// (see Events).
	Dispositions map[string]string `yaml:"dispositions" json:"dispositions,omitempty"`
	// Extension is the usual file name ending, e.g. ".jaf".
	Extension string `yaml:"extension" json:"extension,omitempty"`
	// Unit is what one piece record stands for: UnitEnvelope, a mail piece
	// as it goes into its envelope with all its letters (the default for a
	// manifest), or UnitPiece, one letter. In a result layout it says what
	// the piece column names: an envelope (mail piece) ID or a letter's
	// piece id; empty there means as the line's manifest.
	Unit string `yaml:"unit" json:"unit,omitempty"`
}

// Record units.
const (
	UnitEnvelope = "envelope"
	UnitPiece    = "piece"
)

// RecordType is one kind of line.
type RecordType struct {
	// Type names the kind: "header", "piece", "trailer", ...
	Type string `yaml:"type" json:"type"`
	// Tag, if set, is the literal text at TagStart that marks this kind.
	Tag      string `yaml:"tag" json:"tag,omitempty"`
	TagStart int    `yaml:"tag_start" json:"tag_start,omitempty"` // 1-based; default 1
	// Length is the fixed line length; default the end of the last field.
	// Shorter lines are padded with spaces on writing and accepted on
	// reading only down to the end of the last field.
	Length int     `yaml:"length" json:"length,omitempty"`
	Fields []Field `yaml:"fields" json:"fields"`
}

// Field is one field of a record.
type Field struct {
	Name string `yaml:"name" json:"name"`
	// Start (1-based) and Length place a fixed-width field.
	Start  int `yaml:"start" json:"start,omitempty"`
	Length int `yaml:"length" json:"length,omitempty"`
	// Align is left (default) or right.
	Align string `yaml:"align" json:"align,omitempty"`
	// Pad is the fill character; default a space.
	Pad string `yaml:"pad" json:"pad,omitempty"`
	// Value is the template written, e.g. "{seq}" or "B"; default "{NAME}".
	Value string `yaml:"value" json:"value,omitempty"`
	// Truncate cuts a longer value to Length instead of failing.
	Truncate bool `yaml:"truncate" json:"truncate,omitempty"`
	// Required makes an empty value an error on reading.
	Required bool `yaml:"required" json:"required,omitempty"`
}

// Piece events a disposition code can stand for.
const (
	EventInserted   = "inserted"
	EventDiverted   = "diverted"
	EventHandMailed = "hand-mailed"
	EventDamaged    = "damaged"
	EventUnread     = "unread"
)

// Events lists the piece events of result files.
var Events = []string{EventInserted, EventDiverted, EventHandMailed, EventDamaged, EventUnread}

// Prepare checks the layout and fills its defaults. A layout must be
// prepared before use; Parse and Builtin return prepared layouts.
func (l *Layout) Prepare() error {
	if l.Name == "" {
		return fmt.Errorf("%w: no name", ErrLayout)
	}
	if l.Kind == "" {
		l.Kind = KindFixed
	}
	if l.Kind != KindFixed && l.Kind != KindCSV {
		return fmt.Errorf("%w: %s: kind %q (want fixed or csv)", ErrLayout, l.Name, l.Kind)
	}
	if len(l.Records) == 0 {
		return fmt.Errorf("%w: %s: no records", ErrLayout, l.Name)
	}
	if l.Kind == KindCSV && len(l.Records) != 1 {
		return fmt.Errorf("%w: %s: a csv layout has exactly one record type", ErrLayout, l.Name)
	}
	if l.Unit != "" && l.Unit != UnitEnvelope && l.Unit != UnitPiece {
		return fmt.Errorf("%w: %s: unit %q (want envelope or piece)", ErrLayout, l.Name, l.Unit)
	}
	if l.Kind == KindCSV && l.Comma == "" {
		l.Comma = ","
	}
	if l.Kind == KindCSV && len([]rune(l.Comma)) != 1 {
		return fmt.Errorf("%w: %s: comma %q is not one character", ErrLayout, l.Name, l.Comma)
	}
	for code, ev := range l.Dispositions {
		if !validEvent(ev) {
			return fmt.Errorf("%w: %s: disposition %q maps to %q; want one of %s",
				ErrLayout, l.Name, code, ev, strings.Join(Events, ", "))
		}
	}
	for i := range l.Records {
		if err := l.prepareRecord(&l.Records[i]); err != nil {
			return fmt.Errorf("%w: %s: record %q: %w", ErrLayout, l.Name, l.Records[i].Type, err)
		}
	}
	return nil
}

func validEvent(ev string) bool {
	for _, e := range Events {
		if e == ev {
			return true
		}
	}
	return false
}

// prepareRecord checks one record type of the layout.
func (l *Layout) prepareRecord(r *RecordType) error {
	if r.Type == "" {
		return errors.New("no type")
	}
	if len(r.Fields) == 0 {
		return errors.New("no fields")
	}
	if r.TagStart == 0 {
		r.TagStart = 1
	}
	if l.Kind == KindFixed && len(l.Records) > 1 && r.Tag == "" {
		return errors.New("several record types need a tag each")
	}
	end := 0
	for i := range r.Fields {
		f := &r.Fields[i]
		if err := prepareField(f, l.Kind); err != nil {
			return fmt.Errorf("field %q: %w", f.Name, err)
		}
		end = max(end, f.Start+f.Length-1)
	}
	if r.Tag != "" {
		end = max(end, r.TagStart+len(r.Tag)-1)
	}
	if r.Length == 0 {
		r.Length = end
	}
	if l.Kind == KindFixed && (r.Length < end || r.Length > MaxLineLength) {
		return fmt.Errorf("length %d: the fields end at %d (at most %d)", r.Length, end, MaxLineLength)
	}
	return nil
}

func prepareField(f *Field, kind string) error {
	if f.Name == "" {
		return errors.New("no name")
	}
	if f.Value == "" {
		f.Value = "{" + f.Name + "}"
	}
	if _, err := parseTemplate(f.Value); err != nil {
		return err
	}
	if f.Align == "" {
		f.Align = "left"
	}
	if f.Align != "left" && f.Align != "right" {
		return fmt.Errorf("align %q (want left or right)", f.Align)
	}
	if f.Pad == "" {
		f.Pad = " "
	}
	if len(f.Pad) != 1 {
		return fmt.Errorf("pad %q is not one ASCII character", f.Pad)
	}
	if kind == KindFixed && (f.Start < 1 || f.Length < 1 || f.Start+f.Length-1 > MaxLineLength) {
		return fmt.Errorf("start %d, length %d: a fixed field needs start >= 1 and length >= 1", f.Start, f.Length)
	}
	return nil
}

// Record returns the record type named typ.
func (l *Layout) Record(typ string) (*RecordType, bool) {
	for i := range l.Records {
		if l.Records[i].Type == typ {
			return &l.Records[i], true
		}
	}
	return nil, false
}

// Event returns the piece event a disposition code stands for. A layout
// without dispositions takes the event names themselves.
func (l *Layout) Event(code string) (string, bool) {
	code = strings.TrimSpace(code)
	if len(l.Dispositions) == 0 {
		return code, validEvent(code)
	}
	ev, ok := l.Dispositions[code]
	return ev, ok
}

// PerPiece reports whether the layout's records stand for single letters
// (unit piece) rather than envelopes.
func (l *Layout) PerPiece() bool { return l.Unit == UnitPiece }
