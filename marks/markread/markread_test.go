package markread_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/omsd/omsd/imb"
	"github.com/omsd/omsd/internal/pdftest"
	"github.com/omsd/omsd/marks"
	"github.com/omsd/omsd/marks/markread"
	"github.com/omsd/omsd/marks/pdfmarks"
	"github.com/omsd/omsd/pdf"
)

func profile(t *testing.T, name string) *marks.Profile {
	t.Helper()
	p, err := marks.LoadProfile(name)
	if err != nil {
		t.Fatal(err)
	}
	p.Feeders = map[string]int{"brochure": 1, "return": 3}
	if err := p.Prepare(); err != nil {
		t.Fatal(err)
	}
	return p
}

// envelopes are a few envelopes of 1 to 3 sheets, some with inserts.
func envelopes(n int) []marks.EnvelopeSheets {
	envs := make([]marks.EnvelopeSheets, n)
	for i := range envs {
		s := 1 + i%3
		envs[i] = marks.EnvelopeSheets{ID: i + 1, Pieces: []marks.PieceSheets{{Seq: i + 1, Pages: s, Sheets: s}}}
		if i%2 == 1 {
			envs[i].Inserts = []string{"brochure"}
		}
	}
	return envs
}

// omrImage draws a sheet's OMR code as a renderer prints it.
func omrImage(t *testing.T, p *marks.Profile, s *marks.SheetMarks) markread.Image {
	t.Helper()
	views, err := markread.Camera{Profile: p}.Views(s)
	if err != nil {
		t.Fatal(err)
	}
	var rects []marks.Rect
	for i, r := range p.OMRPositions() {
		if s.OMR[i] {
			rects = append(rects, r)
		}
	}
	return markread.Draw(views[0], p.Page().H, rects)
}

func TestReadOMRDrawn(t *testing.T) {
	for _, name := range []string{"pb-omr", "quadient-omr"} {
		p := profile(t, name)
		sheets, err := marks.Sheets(marks.JobInfo{ID: "1"}, envelopes(12), p)
		if err != nil {
			t.Fatal(err)
		}
		codes := make([]markread.Code, len(sheets))
		for k := range sheets {
			got, err := markread.ReadOMR(omrImage(t, p, &sheets[k]), p)
			if err != nil || fmt.Sprint(got) != fmt.Sprint(sheets[k].OMR) {
				t.Fatalf("%s sheet %d: read %v (%v), want %v", name, k+1, got, err, sheets[k].OMR)
			}
			codes[k] = markread.Decode(p, got)
			if codes[k].Sequence != sheets[k].Sequence || !codes[k].ParityOK || !codes[k].Benchmark {
				t.Errorf("%s sheet %d: decoded %+v, sequence want %d", name, k+1, codes[k], sheets[k].Sequence)
			}
		}
		envs, err := markread.Collate(codes)
		if err != nil || len(envs) != 12 {
			t.Fatalf("%s: collated %v (%v), want 12 envelopes", name, envs, err)
		}
		for k, e := range envs {
			if len(e) != 1+k%3 || codes[e[0]].Feeders[0] != (k%2 == 1) {
				t.Errorf("%s envelope %d: sheets %v, feeders %s", name, k+1, e, codes[e[0]].FeederDigits())
			}
		}
		if err := markread.CheckSequence(p, codes); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestReadOMRRejects(t *testing.T) {
	p := profile(t, "pb-omr")
	pos := p.OMRPositions()
	views, _ := markread.Camera{Profile: p}.Views(&marks.SheetMarks{})
	off := pos[0]
	off.Y -= (pos[1].Y - pos[0].Y) / 2 // between two positions
	thick := pos[2]
	thick.H *= 4
	for name, r := range map[string]marks.Rect{"off position": off, "too thick": thick} {
		_, err := markread.ReadOMR(markread.Draw(views[0], p.Page().H, []marks.Rect{r}), p)
		if !errors.Is(err, markread.ErrUnreadable) {
			t.Errorf("%s: error %v, want ErrUnreadable", name, err)
		}
	}
}

func TestDecodeParityAndCollation(t *testing.T) {
	p := profile(t, "pb-omr")
	sheets, _ := marks.Sheets(marks.JobInfo{}, envelopes(3), p)
	code := append([]bool(nil), sheets[0].OMR...)
	code[1] = !code[1] // the PAR position
	if markread.Decode(p, code).ParityOK {
		t.Error("a flipped parity mark passes")
	}
	codes := make([]markread.Code, len(sheets))
	for k := range sheets {
		codes[k] = markread.Decode(p, sheets[k].OMR)
	}
	if _, err := markread.Collate(codes[:len(codes)-1]); err == nil {
		t.Error("a run without its last EOC collates")
	}
	codes[2], codes[3] = codes[3], codes[2]
	if err := markread.CheckSequence(p, codes); err == nil {
		t.Error("swapped sheets pass the sequence check")
	}
}

func TestReadIMbDrawn(t *testing.T) {
	p, err := marks.ParseProfile([]byte(`
name: imb
imb: {barcode_id: "00", service_type: "270", mailer_id: "123456", serial: "{envelope:9}", routing: "12345", corner: bottom-right, x: 4in, y: 0.6in}
`))
	if err != nil {
		t.Fatal(err)
	}
	want, err := imb.Encode("00270123456000000042", "12345")
	if err != nil {
		t.Fatal(err)
	}
	rects, _ := p.IMbRects(want)
	s := marks.SheetMarks{IMb: want}
	views, _ := markread.Camera{Profile: p}.Views(&s)
	got, err := markread.ReadIMb(markread.Draw(views[0], p.Page().H, rects))
	if err != nil || got != want {
		t.Errorf("read %s (%v), want %s", got, err, want)
	}
}

func TestPGM(t *testing.T) {
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good.pgm"), filepath.Join(dir, "bad.pgm")
	os.WriteFile(good, []byte("P5\n2 1\n255\n\x00\xff"), 0o644)
	os.WriteFile(bad, []byte("P5\n2 2\n255\n\x00\xff"), 0o644)
	g, err := markread.ReadGray(good)
	if err != nil || g.Bounds().Dx() != 2 || !markread.Dark(g, 0, 0) || markread.Dark(g, 1, 0) {
		t.Errorf("good PGM: %v %v", g, err)
	}
	if _, err := markread.ReadGray(bad); err == nil {
		t.Error("a short PGM reads")
	}
}

// TestCameraPDF renders a marked PDF and reads every sheet back through
// the camera: the OMR code and the Data Matrix of a combined profile.
func TestCameraPDF(t *testing.T) {
	p, err := marks.ParseProfile([]byte(`
name: combined
stations: 3
feeders: {brochure: 1, return: 3}
omr: {corner: top-left, edge: 8mm, start: 100mm, pitch: 4.2333mm, length: 15mm, thickness: 0.5mm,
  clear: {side: 3mm, before: 20mm, after: 20mm}, positions: [BM, BOC, SF1, SF2, SF3, WAS, WAS, PAR, SAF],
  sequence: {zero: true}, parity: {make: odd}}
barcode: {symbology: datamatrix, content: "{envelope:6}{sheet:2}{sheets:2}", corner: top-right, x: 10mm, y: 10mm, module: 0.5mm}
`))
	if err != nil {
		t.Fatal(err)
	}
	envs := envelopes(9)
	var pages []int
	o := pdftest.Options{Balanced: true}
	for _, e := range envs {
		o.Pieces = append(o.Pieces, e.Pieces[0].Pages)
		for range e.Pieces[0].Pages {
			pages = append(pages, len(pages)+1)
		}
	}
	in := filepath.Join(t.TempDir(), "in.pdf")
	if err := pdftest.WriteFile(in, o); err != nil {
		t.Fatal(err)
	}
	doc, err := pdf.Open(in)
	if err != nil {
		t.Fatal(err)
	}
	sheets, err := marks.Sheets(marks.JobInfo{}, envs, p)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out.pdf")
	if err := pdfmarks.Write(doc, []pdfmarks.Output{{Path: out, Pages: pages, Sheets: sheets}}, p, false); err != nil {
		t.Fatal(err)
	}
	cam := markread.Camera{Profile: p}
	views, err := cam.Views(&sheets[0])
	if err != nil {
		t.Fatal(err)
	}
	imgs, err := cam.RenderViews(out, views)
	if err != nil {
		t.Fatal(err)
	}
	reads, err := cam.Read(imgs)
	if err != nil {
		t.Fatal(err)
	}
	codes := make([]markread.Code, len(reads))
	for k, r := range reads {
		if r.Err != nil || r.OMR == nil || fmt.Sprint(r.OMR.Marks) != fmt.Sprint(sheets[k].OMR) || r.Barcode != sheets[k].Barcode {
			t.Fatalf("sheet %d: read %+v, want %v %q", k+1, r, sheets[k].OMR, sheets[k].Barcode)
		}
		codes[k] = *r.OMR
	}
	if envs, err := markread.Collate(codes); err != nil || len(envs) != 9 {
		t.Errorf("collated %v (%v)", envs, err)
	}
	if err := markread.CheckSequence(p, codes); err != nil {
		t.Error(err)
	}
}
