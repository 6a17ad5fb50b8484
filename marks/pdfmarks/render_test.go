package pdfmarks

import (
	"testing"

	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/marks/markread"
)

// render renders an area of every page of the PDF at path, in points,
// at dpi, with markread (pdftoppm), failing the test if it cannot.
func render(t *testing.T, path string, p *marks.Profile, area marks.Rect, dpi float64) []markread.Image {
	t.Helper()
	ims, err := markread.Render(path, markread.View{Area: area, DPI: dpi}, p.Page().H, markread.Pages{})
	if err != nil {
		t.Fatal(err)
	}
	return ims
}

// renderView renders one of the camera's views of every page.
func renderView(t *testing.T, path string, p *marks.Profile, name string, sample *marks.SheetMarks) []markread.Image {
	t.Helper()
	views, err := markread.Camera{Profile: p}.Views(sample)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range views {
		if v.Name == name {
			ims, err := markread.Render(path, v, p.Page().H, markread.Pages{})
			if err != nil {
				t.Fatal(err)
			}
			return ims
		}
	}
	t.Fatalf("profile %s has no %s view", p.Name, name)
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
