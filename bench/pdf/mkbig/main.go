// Command mkbig writes an image-heavy PDF for the large-input benchmark:
// pages that each draw one large image XObject of their own (unfiltered
// 8-bit gray samples) and a line of text naming the page, until the file
// reaches the size asked for.
//
//	mkbig -size 4096 [-image 4] OUT.pdf
//
// -size is the file's size in MiB (about), -image each image's in MiB.
// The samples are pseudo-random, different on every page, so that no
// layer can share them.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "mkbig:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("mkbig", flag.ContinueOnError)
	sizeMiB := fs.Int("size", 4096, "size of the file in MiB (about)")
	imageMiB := fs.Int("image", 4, "size of each page's image in MiB")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *sizeMiB < 1 || *imageMiB < 1 || *imageMiB > 256 {
		return errors.New("usage: mkbig -size MiB [-image MiB] OUT.pdf")
	}
	f, err := os.Create(fs.Arg(0))
	if err != nil {
		return err
	}
	if err := write(f, *sizeMiB, *imageMiB); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Objects: 1 catalog, 2 page tree, 3 font, then per page its page,
// content stream and image.
func write(f *os.File, sizeMiB, imageMiB int) error {
	pages := max(1, sizeMiB/imageMiB)
	side := 1024 * isqrt(imageMiB) // a square image of imageMiB bytes, near enough
	samples := side * side
	w := bufio.NewWriterSize(f, 4<<20)
	var off int64
	offsets := make([]int64, 4+3*pages)
	put := func(num int, body string) {
		offsets[num] = off
		n, _ := fmt.Fprintf(w, "%d 0 obj\n%s\nendobj\n", num, body)
		off += int64(n)
	}
	n, _ := w.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	off += int64(n)
	put(1, "<< /Type /Catalog /Pages 2 0 R >>")
	kids := make([]byte, 0, pages*12)
	for p := range pages {
		kids = fmt.Appendf(kids, "%d 0 R ", 4+3*p)
	}
	put(2, fmt.Sprintf("<< /Type /Pages /Count %d /Kids [%s] >>", pages, kids))
	put(3, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	rng := rand.New(rand.NewPCG(1, 2))
	block := make([]byte, 1<<20)
	for p := range pages {
		page, content, image := 4+3*p, 5+3*p, 6+3*p
		put(page, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "+
			"/Resources << /Font << /F1 3 0 R >> /XObject << /Im1 %d 0 R >> >> >>", content, image))
		text := fmt.Sprintf("q 495 0 0 495 50 250 cm /Im1 Do Q BT /F1 24 Tf 50 780 Td (Page %d) Tj ET", p+1)
		put(content, fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(text), text))
		offsets[image] = off
		n, _ := fmt.Fprintf(w, "%d 0 obj\n<< /Type /XObject /Subtype /Image /Width %d /Height %d "+
			"/ColorSpace /DeviceGray /BitsPerComponent 8 /Length %d >>\nstream\n", image, side, side, samples)
		off += int64(n)
		for left := samples; left > 0; {
			chunk := block[:min(left, len(block))]
			for i := 0; i < len(chunk); i += 8 {
				v := rng.Uint64()
				for j := 0; j < 8 && i+j < len(chunk); j++ {
					chunk[i+j] = byte(v >> (8 * j))
				}
			}
			n, err := w.Write(chunk)
			if err != nil {
				return err
			}
			off += int64(n)
			left -= n
		}
		n, _ = w.WriteString("\nendstream\nendobj\n")
		off += int64(n)
	}
	xref := off
	fmt.Fprintf(w, "xref\n0 %d\n0000000000 65535 f \n", len(offsets))
	for _, o := range offsets[1:] {
		fmt.Fprintf(w, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(w, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets), xref)
	return w.Flush()
}

func isqrt(n int) int {
	r := 1
	for (r+1)*(r+1) <= n {
		r++
	}
	return r
}
