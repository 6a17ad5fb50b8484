package topdf

import "fmt"

// namedColor is an OCA named colour as RGB.
func namedColor(v uint16) [3]float64 {
	switch v {
	case 0x0001:
		return [3]float64{0, 0, 1} // blue
	case 0x0002:
		return [3]float64{1, 0, 0} // red
	case 0x0003:
		return [3]float64{1, 0, 1} // pink/magenta
	case 0x0004:
		return [3]float64{0, 1, 0} // green
	case 0x0005:
		return [3]float64{0, 1, 1} // turquoise/cyan
	case 0x0006:
		return [3]float64{1, 1, 0} // yellow
	case 0x0007:
		return [3]float64{1, 1, 1} // white
	case 0x0009:
		return [3]float64{0, 0, 0.67} // dark blue
	case 0x000A:
		return [3]float64{1, 0.5, 0} // orange
	case 0x000B:
		return [3]float64{0.67, 0, 0.67} // purple
	case 0x000C:
		return [3]float64{0, 0.57, 0} // dark green
	case 0x000D:
		return [3]float64{0, 0.57, 0.67} // dark turquoise
	case 0x000E:
		return [3]float64{0.77, 0.63, 0} // mustard
	case 0x000F:
		return [3]float64{0.51, 0.51, 0.51} // grey
	case 0x0010:
		return [3]float64{0.55, 0.28, 0} // brown
	}
	return [3]float64{} // black, default, colour of medium treated as black
}

// extendedColor decodes the parameters of a Set Extended Text Color (and
// GOCA's Set Process Color): reserved, space, 4 reserved, 4 bit counts,
// the components. RGB, CMYK, grey-like highlight and OCA are understood.
func extendedColor(a []byte) ([3]float64, bool) {
	if len(a) < 10 {
		return [3]float64{}, false
	}
	space, bits, v := a[1], a[6:10], a[10:]
	comp := func(n int) (float64, bool) {
		bc := int(bits[n])
		if bc != 8 || len(v) <= n {
			return 0, false
		}
		return float64(v[n]) / 255, true
	}
	switch space {
	case 0x01: // RGB
		r, ok1 := comp(0)
		g, ok2 := comp(1)
		b, ok3 := comp(2)
		return [3]float64{r, g, b}, ok1 && ok2 && ok3
	case 0x04: // CMYK
		c, ok1 := comp(0)
		m, ok2 := comp(1)
		y, ok3 := comp(2)
		k, ok4 := comp(3)
		return [3]float64{(1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)}, ok1 && ok2 && ok3 && ok4
	case 0x40: // standard OCA
		if len(v) >= 2 {
			return namedColor(uint16(v[0])<<8 | uint16(v[1])), true
		}
	}
	return [3]float64{}, false
}

func colorSpaceName(a []byte) string {
	if len(a) < 2 {
		return "(missing)"
	}
	switch a[1] {
	case 0x06:
		return "highlight"
	case 0x08:
		return "CIELab"
	}
	return fmt.Sprintf("%02X", a[1])
}
