package topdf

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// needTool fails the test when a program is missing, naming its package.
func needTool(t testing.TB, name, pkg string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s not found (install the Debian package %s): %v", name, pkg, err)
	}
}

// run runs a program with a generous deadline and fails on an error.
func run(t testing.TB, name string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, stderr.Bytes())
	}
	return out
}

// word is one word pdftotext found, with its box in points.
type word struct {
	page                   int
	text                   string
	xMin, yMin, xMax, yMax float64
}

// words lists the words of a PDF with their boxes (pdftotext -bbox-layout).
func words(t testing.TB, pdf string) []word {
	t.Helper()
	out := run(t, "pdftotext", "-bbox-layout", pdf, "-")
	dec := xml.NewDecoder(bytes.NewReader(out))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	var ws []word
	page := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "page":
			page++
		case "word":
			w := word{page: page}
			for _, a := range se.Attr {
				v, _ := strconv.ParseFloat(a.Value, 64)
				switch a.Name.Local {
				case "xMin":
					w.xMin = v
				case "yMin":
					w.yMin = v
				case "xMax":
					w.xMax = v
				case "yMax":
					w.yMax = v
				}
			}
			var text string
			if err := dec.DecodeElement(&text, &se); err != nil {
				t.Fatalf("pdftotext output: %v", err)
			}
			w.text = text
			ws = append(ws, w)
		}
	}
	return ws
}

// matchWords finds each of want's words in got: same page and text, box
// within tol points. It returns the words not found and the largest
// deviation of those found.
func matchWords(want, got []word, tol float64) (missing []word, maxDev float64) {
	used := make([]bool, len(got))
	for _, w := range want {
		best, bestDev := -1, math.Inf(1)
		for i, g := range got {
			if used[i] || g.page != w.page || g.text != w.text {
				continue
			}
			dev := max(math.Abs(g.xMin-w.xMin), math.Abs(g.yMin-w.yMin), math.Abs(g.xMax-w.xMax), math.Abs(g.yMax-w.yMax))
			if dev < bestDev {
				best, bestDev = i, dev
			}
		}
		if best < 0 || bestDev > tol {
			missing = append(missing, w)
			continue
		}
		used[best] = true
		maxDev = max(maxDev, bestDev)
	}
	return missing, maxDev
}

// renderPages renders a PDF's pages as grey PGM files at 150 dpi.
func renderPages(t testing.TB, pdf, prefix string) []string {
	t.Helper()
	run(t, "pdftoppm", "-r", "150", "-gray", pdf, prefix)
	pages, err := filepath.Glob(prefix + "*.pgm")
	if err != nil || len(pages) == 0 {
		t.Fatalf("pdftoppm made no pages of %s: %v", pdf, err)
	}
	return pages
}

// pgm is a decoded binary PGM (P5, 8 bits).
type pgm struct {
	w, h int
	pix  []byte
}

func readPGM(t testing.TB, path string) pgm {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var w, h, maxv int
	var hdr int
	fields := 0
	for i := 2; i < len(b) && fields < 3; {
		for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
			i++
		}
		j := i
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		v, _ := strconv.Atoi(string(b[i:j]))
		switch fields {
		case 0:
			w = v
		case 1:
			h = v
		case 2:
			maxv = v
		}
		fields++
		i, hdr = j, j+1
	}
	if string(b[:2]) != "P5" || maxv != 255 || len(b) < hdr+w*h {
		t.Fatalf("%s: not an 8-bit binary PGM", path)
	}
	return pgm{w, h, b[hdr : hdr+w*h]}
}

// pixelDiff is the share of pixels of a that differ from b by more than
// level, where no pixel of b within one pixel matches either (and the
// other way round). Pages whose sizes differ by a rounding pixel (AFP
// sizes are whole units at 240 or 1440 per inch) are compared over the
// area they share.
func pixelDiff(a, b pgm, level int) float64 {
	if abs(a.w-b.w) > 2 || abs(a.h-b.h) > 2 {
		return 1
	}
	w, h := min(a.w, b.w), min(a.h, b.h)
	near := func(p, q pgm, x, y int) bool {
		v := int(p.pix[y*p.w+x])
		for dy := -1; dy <= 1; dy++ {
			for dx := -1; dx <= 1; dx++ {
				xx, yy := x+dx, y+dy
				if xx < 0 || yy < 0 || xx >= w || yy >= h {
					continue
				}
				d := v - int(q.pix[yy*q.w+xx])
				if d >= -level && d <= level {
					return true
				}
			}
		}
		return false
	}
	bad := 0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if !near(a, b, x, y) || !near(b, a, x, y) {
				bad++
			}
		}
	}
	return float64(bad) / float64(w*h)
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// comparison is what comparing a transform with FOP's own PDF measured.
type comparison struct {
	words, missing int
	maxDev         float64
	worstPixels    float64
}

func (c comparison) String() string {
	return fmt.Sprintf("%d words, %d not matched within 1.5 pt, largest box deviation %.3f pt; worst page differs in %.3f%% of pixels", c.words, c.missing, c.maxDev, 100*c.worstPixels)
}

// compareWithFOP transforms FOP's AFP of fo and compares the PDF with
// FOP's own PDF of the same document.
func compareWithFOP(t *testing.T, dir, fo, conf string, opt Options) (comparison, *Result) {
	t.Helper()
	needTool(t, "fop", "fop")
	needTool(t, "pdftotext", "poppler-utils")
	afpPath, fopPDF, ourPDF := filepath.Join(dir, "doc.afp"), filepath.Join(dir, "fop.pdf"), filepath.Join(dir, "ours.pdf")
	var c []string
	if conf != "" {
		c = []string{"-c", conf}
	}
	run(t, "fop", append(c, "-q", "-fo", fo, "-afp", afpPath)...)
	run(t, "fop", append(c, "-q", "-fo", fo, "-pdf", fopPDF)...)
	in, err := os.Open(afpPath)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(ourPDF)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Transform(in, out, opt)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("transform: %v", err)
	}
	needTool(t, "qpdf", "qpdf")
	run(t, "qpdf", "--check", ourPDF)
	want, got := words(t, fopPDF), words(t, ourPDF)
	missing, maxDev := matchWords(want, got, 1.5)
	for _, m := range missing {
		t.Errorf("page %d: word %q at %.2f,%.2f–%.2f,%.2f not in the transform within 1.5 pt", m.page, m.text, m.xMin, m.yMin, m.xMax, m.yMax)
	}
	cmp := comparison{words: len(want), missing: len(missing), maxDev: maxDev}
	a, b := renderPages(t, fopPDF, filepath.Join(dir, "fop")), renderPages(t, ourPDF, filepath.Join(dir, "ours"))
	if len(a) != len(b) {
		t.Fatalf("FOP's PDF has %d pages, the transform %d", len(a), len(b))
	}
	for i := range a {
		d := pixelDiff(readPGM(t, a[i]), readPGM(t, b[i]), 64)
		cmp.worstPixels = max(cmp.worstPixels, d)
		if d >= 0.01 {
			t.Errorf("page %d differs from FOP's in %.3f%% of pixels, want under 1%%", i+1, 100*d)
		}
	}
	return cmp, res
}
