package pipeline

import (
	"fmt"
	"strings"

	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/marks/markread"
)

// zoneCheckPages is how many pages of an output, from its start, are
// checked for content inside the marks' zones: the pieces of a run share
// their layout, and rendering every page would cost more than the marks.
const zoneCheckPages = 12

// zoneDPI is the resolution zones are checked at: hairlines still show.
const zoneDPI = 72

// zoneWarnings renders the first marked pages of an output from the input
// (pages as the output lists them, pdf.Blank pages negative) and reports
// content inside the zones of their sheets' marks, one warning per zone
// kind. Without pdftoppm it says that the zones were not checked.
func zoneWarnings(input string, pages []int, sheets []marks.SheetMarks, m *marking) []string {
	p := m.profile
	found := map[string][]int{} // zone name -> input pages
	var order []string
	checked := 0
	for i, pg := range pages {
		if checked == zoneCheckPages {
			break
		}
		back := m.duplex && i%2 == 1
		if pg < 0 || !marked(p, back) || i/(1+btoi(m.duplex)) >= len(sheets) {
			continue
		}
		checked++
		zones, err := p.Zones(&sheets[i/(1+btoi(m.duplex))])
		if err != nil {
			continue // the writer reports the marks' errors
		}
		ims, err := markread.Render(input, markread.View{Area: p.Page(), DPI: zoneDPI}, p.Page().H, markread.Pages{First: pg, Last: pg})
		if err != nil {
			return []string{fmt.Sprintf("marks: clear zones not checked: %v", err)}
		}
		for _, z := range zones {
			if contentIn(ims[0], z.Rect) {
				if found[z.Name] == nil {
					order = append(order, z.Name)
				}
				found[z.Name] = append(found[z.Name], pg)
			}
		}
	}
	var warnings []string
	for _, name := range order {
		warnings = append(warnings, fmt.Sprintf("marks: page content inside the %s zone of profile %s on input pages %s (%d of the output's first pages checked); the marks are drawn over it",
			name, p.Name, joinInts(found[name]), checked))
	}
	return warnings
}

// contentIn reports dark pixels whose centres lie inside r, shrunk by a
// pixel so that content touching the zone's edge does not count.
func contentIn(im markread.Image, r marks.Rect) bool {
	px := 72.0 / zoneDPI
	x0, y0 := im.ToPixels(r.X+px, r.Y+r.H-px)
	x1, y1 := im.ToPixels(r.X+r.W-px, r.Y+px)
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			if markread.Dark(im.Gray, x, y) {
				return true
			}
		}
	}
	return false
}

// marked reports whether the profile marks a front or a back.
func marked(p *marks.Profile, back bool) bool {
	switch p.Sides {
	case marks.SidesBoth:
		return true
	case marks.SidesBack:
		return back
	}
	return !back
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}
