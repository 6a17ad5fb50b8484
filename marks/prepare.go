package marks

import (
	"fmt"
)

// Prepare checks the profile, fills in its defaults (A4 paper, marks on
// the front) and readies it for Sheets and the geometry methods. It is
// called by ParseProfile and LoadProfile; a profile built in code, or
// decoded from a larger configuration, must be prepared before use.
func (p *Profile) Prepare() error {
	if err := p.prepare(); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrProfile, p.Name, err)
	}
	p.prepared = true
	return nil
}

func (p *Profile) prepare() error {
	if p.Name == "" {
		return fmt.Errorf("name is required")
	}
	if p.Paper == (Paper{}) {
		p.Paper = Paper{Width: MM(210), Height: MM(297)}
	}
	if p.Paper.Width <= 0 || p.Paper.Height <= 0 {
		return fmt.Errorf("paper: width and height are required")
	}
	if p.Sides == "" {
		p.Sides = SidesFront
	}
	if p.Sides != SidesFront && p.Sides != SidesBack && p.Sides != SidesBoth {
		return fmt.Errorf("sides %q: want front, back or both", p.Sides)
	}
	if p.Stations < 0 || p.Stations > maxStations {
		return fmt.Errorf("stations %d: want 0 to %d", p.Stations, maxStations)
	}
	for name, st := range p.Feeders {
		if st < 1 || st > p.Stations {
			return fmt.Errorf("feeders: %s: station %d, the profile has stations 1-%d", name, st, p.Stations)
		}
	}
	if p.OMR != nil {
		if err := p.OMR.prepare(p.Stations); err != nil {
			return err
		}
		for i, r := range p.OMRPositions() {
			if !p.Page().Contains(r) {
				return fmt.Errorf("omr: position %d (%s) lies off the paper", i+1, p.OMR.Positions[i])
			}
		}
	}
	if p.Barcode != nil {
		if err := p.Barcode.prepare(p.Stations); err != nil {
			return fmt.Errorf("barcode: %w", err)
		}
	}
	if p.IMb != nil {
		if err := p.prepareIMb(); err != nil {
			return fmt.Errorf("imb: %w", err)
		}
	}
	return nil
}

// prepare checks a barcode section and compiles its template.
func (b *Barcode) prepare(stations int) error {
	switch b.Symbology {
	case DataMatrix, Code128, Code39, I2of5:
	default:
		return fmt.Errorf("symbology %q: want datamatrix, code128, code39 or i2of5", b.Symbology)
	}
	t, err := compileTemplate(b.Content)
	if err != nil {
		return err
	}
	if len(t.parts) == 0 {
		return fmt.Errorf("content is required")
	}
	for _, pt := range t.parts {
		if pt.field == "feeders" && pt.width != 0 && pt.width < stations {
			return fmt.Errorf("{feeders:%d} is narrower than the profile's %d stations", pt.width, stations)
		}
	}
	if err := checkChars(b.Symbology, t.literals()); err != nil {
		return fmt.Errorf("content %q: %w", b.Content, err)
	}
	b.tmpl = t
	switch b.Check {
	case "", CheckNone, CheckMod10, CheckMod43:
	default:
		return fmt.Errorf("check %q: want none, mod10 or mod43", b.Check)
	}
	if b.Module <= 0 || (!is2D(b.Symbology) && b.Height <= 0) {
		return fmt.Errorf("module (and height, for 1D codes) are required")
	}
	if b.Rotate%90 != 0 || b.Rotate < 0 || b.Rotate > 270 {
		return fmt.Errorf("rotate %d: want 0, 90, 180 or 270", b.Rotate)
	}
	_, err = parseCorner(b.Corner)
	return err
}

// prepareIMb checks the IMb section and compiles its templates.
func (p *Profile) prepareIMb() error {
	m := p.IMb
	switch {
	case len(m.BarcodeID) != 2 || !isDigits(m.BarcodeID) || m.BarcodeID[1] > '4':
		return fmt.Errorf("barcode_id %q: want 2 digits, the second 0-4", m.BarcodeID)
	case len(m.ServiceType) != 3 || !isDigits(m.ServiceType):
		return fmt.Errorf("service_type %q: want 3 digits", m.ServiceType)
	case (len(m.MailerID) != 6 && len(m.MailerID) != 9) || !isDigits(m.MailerID):
		return fmt.Errorf("mailer_id %q: want 6 or 9 digits", m.MailerID)
	case (len(m.MailerID) == 9) != (m.MailerID[0] == '9'):
		return fmt.Errorf("mailer_id %q: 9-digit mailer IDs start with 9, 6-digit ones do not", m.MailerID)
	}
	var err error
	if m.serial, err = compileTemplate(m.Serial); err != nil {
		return fmt.Errorf("serial: %w", err)
	}
	if len(m.serial.parts) == 0 {
		return fmt.Errorf("serial is required")
	}
	if m.routing, err = compileTemplate(m.Routing); err != nil {
		return fmt.Errorf("routing: %w", err)
	}
	if _, err := parseCorner(m.Corner); err != nil {
		return err
	}
	x, y := p.imbOrigin()
	w, h := imbSize()
	if !p.Page().Contains(Rect{x, y, w, h}) {
		return fmt.Errorf("the bars lie off the paper")
	}
	return nil
}

// Zone is an area of the page that marks use: the page's own content
// should leave it white.
type Zone struct {
	Name string // omr, barcode or imb
	Rect Rect
}

// Zones returns the areas the marks of one sheet use: the OMR code's clear
// zone, the barcode with its quiet zone, the IMb with its clear zone.
func (p *Profile) Zones(s *SheetMarks) ([]Zone, error) {
	var zones []Zone
	if p.OMR != nil {
		zones = append(zones, Zone{"omr", p.omrZone().clip(p.Page())})
	}
	if p.Barcode != nil && s.Barcode != "" {
		_, z, err := p.BarcodeBox(s.Barcode)
		if err != nil {
			return nil, err
		}
		zones = append(zones, Zone{"barcode", z})
	}
	if p.IMb != nil && s.IMb != "" {
		zones = append(zones, Zone{"imb", p.imbZone()})
	}
	return zones, nil
}
