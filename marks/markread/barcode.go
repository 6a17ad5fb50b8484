package markread

import (
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Symbol is a decoded 1D barcode.
type Symbol struct {
	Type string // as zbarimg names it: CODE-128, CODE-39, I2/5
	Text string
}

// writeImages writes the images as PNG files into a new temporary
// directory and returns it with the files' paths.
func writeImages(ims []Image) (string, []string, error) {
	dir, err := os.MkdirTemp("", "markread-")
	if err != nil {
		return "", nil, err
	}
	files := make([]string, len(ims))
	for i, im := range ims {
		files[i] = filepath.Join(dir, fmt.Sprintf("s%06d.png", i))
		if err := WritePNG(files[i], im.Gray); err != nil {
			os.RemoveAll(dir)
			return "", nil, err
		}
	}
	return dir, files, nil
}

// DataMatrix decodes one Data Matrix from each image with dmtxread, in
// one run; an image without a readable symbol yields "".
func DataMatrix(ims []Image) ([]string, error) {
	bin, err := LookTool("dmtxread", "dmtx-utils")
	if err != nil || len(ims) == 0 {
		return nil, err
	}
	dir, files, err := writeImages(ims)
	if err != nil {
		return nil, fmt.Errorf("data matrix: %w", err)
	}
	defer os.RemoveAll(dir)
	out, err := exec.Command(bin, append([]string{"-n", "-N1"}, files...)...).Output()
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if err == nil && len(lines) == len(files) {
		return lines, nil
	}
	texts := make([]string, len(files)) // some failed: find which, one by one
	for i, f := range files {
		b, _ := exec.Command(bin, "-n", "-N1", f).Output()
		texts[i] = strings.TrimSuffix(string(b), "\n")
	}
	return texts, nil
}

// zbarXML is the part of zbarimg's XML output read here.
type zbarXML struct {
	Sources []struct {
		Href    string `xml:"href,attr"`
		Symbols []struct {
			Type string `xml:"type,attr"`
			Data string `xml:"data"`
		} `xml:"index>symbol"`
	} `xml:"source"`
}

// Linear decodes the first 1D barcode of each image with zbarimg, in one
// run; an image without one yields a zero Symbol.
func Linear(ims []Image) ([]Symbol, error) {
	bin, err := LookTool("zbarimg", "zbar-tools")
	if err != nil || len(ims) == 0 {
		return nil, err
	}
	dir, files, err := writeImages(ims)
	if err != nil {
		return nil, fmt.Errorf("1d barcode: %w", err)
	}
	defer os.RemoveAll(dir)
	// zbarimg exits 4 when some image holds no code: the XML says which.
	out, _ := exec.Command(bin, append([]string{"--xml", "--nodbus", "-q"}, files...)...).Output()
	var doc zbarXML
	if err := xml.Unmarshal(out, &doc); err != nil {
		return nil, fmt.Errorf("zbarimg output: %w", err)
	}
	byFile := map[string]int{}
	for i, s := range doc.Sources {
		byFile[filepath.Base(s.Href)] = i
	}
	syms := make([]Symbol, len(files))
	for i, f := range files {
		if j, ok := byFile[filepath.Base(f)]; ok && len(doc.Sources[j].Symbols) > 0 {
			s := doc.Sources[j].Symbols[0]
			syms[i] = Symbol{Type: s.Type, Text: s.Data}
		}
	}
	return syms, nil
}
