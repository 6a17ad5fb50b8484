package markread

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
)

// LookTool returns the path of an external program, or an error wrapping
// ErrTool that names the Debian package holding it.
func LookTool(name, debianPackage string) (string, error) {
	path, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%w: %s (install the Debian package %s)", ErrTool, name, debianPackage)
	}
	return path, nil
}

// Pages selects pages of a PDF, 1-based and inclusive; zero values mean
// the first and the last page.
type Pages struct{ First, Last int }

// Render renders view v of the selected pages of the PDF at path, pages
// pageH points high, with pdftoppm in one run, in grey and without
// anti-aliasing (as a camera thresholds), and returns one Image per page
// in page order.
func Render(path string, v View, pageH float64, sel Pages) ([]Image, error) {
	bin, err := LookTool("pdftoppm", "poppler-utils")
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "markread-")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRender, err)
	}
	defer os.RemoveAll(dir)
	x, y, w, h := v.pixels(pageH)
	args := []string{"-r", ftoa(v.DPI), "-gray", "-aa", "no", "-aaVector", "no",
		"-x", strconv.Itoa(x), "-y", strconv.Itoa(y), "-W", strconv.Itoa(w), "-H", strconv.Itoa(h)}
	if sel.First > 0 {
		args = append(args, "-f", strconv.Itoa(sel.First))
	}
	if sel.Last > 0 {
		args = append(args, "-l", strconv.Itoa(sel.Last))
	}
	prefix := filepath.Join(dir, "p")
	if out, err := exec.Command(bin, append(args, path, prefix)...).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%w: pdftoppm %s: %w: %s", ErrRender, path, err, out)
	}
	files, _ := filepath.Glob(prefix + "-*.pgm")
	if len(files) == 0 {
		return nil, fmt.Errorf("%w: pdftoppm wrote no pages of %s", ErrRender, path)
	}
	sort.Strings(files) // the names are zero-padded to one width
	images := make([]Image, len(files))
	for i, f := range files {
		g, err := ReadGray(f)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrRender, err)
		}
		images[i] = Image{Gray: g, View: v, PageH: pageH}
	}
	return images, nil
}

func ftoa(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
