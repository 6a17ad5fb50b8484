package marks

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed profiles/*.yaml
var profilesFS embed.FS

// Profile is the marks an inserting line reads, and where they go on the
// sheet. Any of OMR, Barcode and IMb may be absent; a profile with none of
// them marks nothing. Use a Profile only after Prepare (ParseProfile and
// LoadProfile prepare it); it is then read-only and safe for concurrent
// use.
type Profile struct {
	Name        string `yaml:"name" json:"name"`
	Description string `yaml:"description" json:"description,omitempty"`
	// Paper is the size of the sheets the line runs. Marks are placed from
	// its edges, with the origin at the lower left corner of the page.
	Paper Paper `yaml:"paper" json:"paper"`
	// Sides says which sides of a sheet carry marks: front (the default),
	// back, or both. In simplex every page is a front.
	Sides string `yaml:"sides" json:"sides,omitempty"`
	// Stations is the number of select-feed stations of the line: the
	// digits of {feeders}, the highest SFn position.
	Stations int `yaml:"stations" json:"stations,omitempty"`
	// Feeders maps insert names, as the postage plan names an envelope's
	// inserts, to the station (1 to Stations) that feeds them.
	Feeders map[string]int `yaml:"feeders" json:"feeders,omitempty"`
	OMR     *OMR           `yaml:"omr" json:"omr,omitempty"`
	Barcode *Barcode       `yaml:"barcode" json:"barcode,omitempty"`
	IMb     *IMb           `yaml:"imb" json:"imb,omitempty"`

	prepared bool
}

// Paper is a sheet size.
type Paper struct {
	Width  Length `yaml:"width" json:"width"`
	Height Length `yaml:"height" json:"height"`
}

// Sides of a sheet that carry marks.
const (
	SidesFront = "front"
	SidesBack  = "back"
	SidesBoth  = "both"
)

// OMR is an OMR code: a column of horizontal marks near one side of the
// sheet.
type OMR struct {
	// Corner is where the code starts: top-left, top-right, bottom-left
	// or bottom-right. The marks run along the left or right edge, the
	// first position nearest the top or bottom edge.
	Corner string `yaml:"corner" json:"corner"`
	// Edge is the distance from the left or right edge to the near end of
	// the marks.
	Edge Length `yaml:"edge" json:"edge"`
	// Start is the distance from the top or bottom edge to the centre line
	// of the first position.
	Start Length `yaml:"start" json:"start"`
	// Pitch is the distance between the centre lines of two positions.
	Pitch Length `yaml:"pitch" json:"pitch"`
	// Length and Thickness are the size of one mark.
	Length    Length `yaml:"length" json:"length"`
	Thickness Length `yaml:"thickness" json:"thickness"`
	// Clear is the clear zone around the code, which the page's own
	// content must leave white.
	Clear Clear `yaml:"clear" json:"clear"`
	// Positions are the kinds of the positions in read order (see the
	// package documentation): BM, SAF, RT, TM, IGN, BOC, EOC, NBOC, NEOC,
	// PAR, SF1..SF16, DVF, AB, WAS, MC.
	Positions []string `yaml:"positions" json:"positions"`
	Sequence  Sequence `yaml:"sequence" json:"sequence"`
	Match     Match    `yaml:"match" json:"match"`
	Parity    Parity   `yaml:"parity" json:"parity"`
	// Commands says which sheets of an envelope carry its commands (SFn,
	// DVF, AB): every (the default), first or last.
	Commands string `yaml:"commands" json:"commands,omitempty"`
	// Batch is the number of envelopes of a batch: AB marks every
	// Batch-th envelope of the output, and the last one.
	Batch int `yaml:"batch" json:"batch,omitempty"`

	kinds   []position
	counted []bool // positions the parity counts
}

// Clear is the clear zone around an OMR code: Side on the left and right
// of the marks, Before the first position and After the last, in read
// order.
type Clear struct {
	Side   Length `yaml:"side" json:"side"`
	Before Length `yaml:"before" json:"before"`
	After  Length `yaml:"after" json:"after"`
}

// Sequence configures the wrap-around sequence (WAS) bits: a sheet
// counter that wraps at 2^bits.
type Sequence struct {
	// Count is up (the default) or down.
	Count string `yaml:"count" json:"count,omitempty"`
	// Zero includes the value 0 in the cycle; without it the counter runs
	// 1 to 2^bits-1.
	Zero bool `yaml:"zero" json:"zero,omitempty"`
	// Reset is envelope (the default: the first sheet of every envelope
	// starts the cycle again) or continuous (the counter runs on through
	// the output).
	Reset string `yaml:"reset" json:"reset,omitempty"`
	// First is lsb (the default) or msb: the bit the first WAS position in
	// read order carries.
	First string `yaml:"first" json:"first,omitempty"`
}

// Match configures the match code (MC) bits: a number that stays the same
// on the sheets of one envelope and changes from envelope to envelope.
type Match struct {
	// Count is up (the default: 1, 2, 3, … for the envelopes of the
	// output, wrapping at 2^bits) or down (2^bits-1, 2^bits-2, …).
	Count string `yaml:"count" json:"count,omitempty"`
	// First is lsb (the default) or msb.
	First string `yaml:"first" json:"first,omitempty"`
}

// Parity configures the parity (PAR) position.
type Parity struct {
	// Make is even (the default) or odd: the number of marks counted,
	// the parity mark included, is made even or odd.
	Make string `yaml:"make" json:"make,omitempty"`
	// Exclude lists kinds of positions the line does not count, e.g.
	// [BM, SAF]; the parity mark itself always counts.
	Exclude []string `yaml:"exclude" json:"exclude,omitempty"`
}

// Barcode is an inserter barcode printed on every marked side.
type Barcode struct {
	// Symbology is datamatrix (ECC200), code128, code39 or i2of5.
	Symbology string `yaml:"symbology" json:"symbology"`
	// Content is the template of the barcode's text (see the package
	// documentation).
	Content string `yaml:"content" json:"content"`
	// Check appends a check character: none (the default), mod10 (digits
	// only, weights 3 and 1 from the right) or mod43 (Code 39's).
	Check string `yaml:"check" json:"check,omitempty"`
	// Corner, X and Y place the symbol: X from the left or right edge, Y
	// from the top or bottom edge to the symbol's nearest side, before the
	// quiet zone.
	Corner string `yaml:"corner" json:"corner"`
	X      Length `yaml:"x" json:"x"`
	Y      Length `yaml:"y" json:"y"`
	// Module is the size of one module (the narrowest bar of a 1D code,
	// one cell of a Data Matrix).
	Module Length `yaml:"module" json:"module"`
	// Height is the bar height of a 1D code.
	Height Length `yaml:"height" json:"height,omitempty"`
	// Rotate turns the symbol by 0, 90, 180 or 270 degrees anticlockwise.
	Rotate int `yaml:"rotate" json:"rotate,omitempty"`

	tmpl template
}

// IMb is the USPS Intelligent Mail barcode, printed on the address page:
// the front of the first sheet of each envelope.
type IMb struct {
	// BarcodeID (2 digits), ServiceType (3 digits) and MailerID (6 or 9
	// digits) are the fixed fields of the tracking code.
	BarcodeID   string `yaml:"barcode_id" json:"barcode_id"`
	ServiceType string `yaml:"service_type" json:"service_type"`
	MailerID    string `yaml:"mailer_id" json:"mailer_id"`
	// Serial is a template giving the serial number: 9 digits with a
	// 6-digit mailer ID, 6 with a 9-digit one, e.g. "{envelope:9}" or
	// "{meta.imb_serial}".
	Serial string `yaml:"serial" json:"serial"`
	// Routing is a template giving the routing code (ZIP, ZIP+4 or
	// ZIP+4+delivery point), e.g. "{meta.postal_code}"; characters other
	// than digits are dropped.
	Routing string `yaml:"routing" json:"routing"`
	// Corner, X and Y place the leftmost bar's left side and the bars'
	// top or bottom.
	Corner string `yaml:"corner" json:"corner"`
	X      Length `yaml:"x" json:"x"`
	Y      Length `yaml:"y" json:"y"`

	serial, routing template
}

// Profiles lists the names of the profiles shipped with omsd.
func Profiles() []string {
	names, _ := fs.Glob(profilesFS, "profiles/*.yaml")
	for i, n := range names {
		names[i] = strings.TrimSuffix(path.Base(n), ".yaml")
	}
	sort.Strings(names)
	return names
}

// LoadProfile returns a shipped profile by name ("pb-omr", "quadient-omr",
// "datamatrix-fbp"), or reads the YAML file at a path (anything with a
// slash or a .yaml or .yml suffix), prepared.
func LoadProfile(name string) (*Profile, error) {
	if ext := path.Ext(name); strings.ContainsAny(name, `/\`) || ext == ".yaml" || ext == ".yml" {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("marks profile: %w", err)
		}
		p, err := ParseProfile(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return p, nil
	}
	b, err := profilesFS.ReadFile("profiles/" + name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("%w %q (shipped: %s; or give a file path)", ErrUnknownProfile, name, strings.Join(Profiles(), ", "))
	}
	p, err := ParseProfile(b)
	if err != nil {
		return nil, fmt.Errorf("marks profile %s: %w", name, err)
	}
	return p, nil
}

var unknownField = regexp.MustCompile(`line (\d+): field (\S+) not found in type (?:\w+\.)?(\w+)`)

// ParseProfile reads a profile in YAML, strictly: an unknown key is an
// error naming its line. It prepares the profile.
func ParseProfile(b []byte) (*Profile, error) {
	var p Profile
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: unmarshal errors:\n")
		msg = unknownField.ReplaceAllString(msg, `line $1: unknown key "$2" (in $3)`)
		return nil, fmt.Errorf("%w: %s", ErrProfile, strings.TrimSpace(msg))
	}
	if err := p.Prepare(); err != nil {
		return nil, err
	}
	return &p, nil
}
