package usbvm

import (
	"bytes"
	"compress/gzip"
	"context"
	"debug/elf"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
)

// module is one extracted, uncompressed kernel module.
type module struct {
	name    string   // e.g. usb_f_printer
	path    string   // the .ko file
	depends []string // module names from modinfo's depends=
}

// moduleExts are the module file endings and the command that
// decompresses each ("" for none, "gzip" done in Go).
var moduleExts = map[string]string{".ko": "", ".ko.xz": "xz", ".ko.zst": "zstd", ".ko.gz": "gzip"}

// isModule reports whether a package path is a kernel module.
func isModule(name string) bool {
	for ext := range moduleExts {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// normalizeModule spells a module name as the kernel does: '-' as '_'.
func normalizeModule(name string) string { return strings.ReplaceAll(name, "-", "_") }

// extractModule writes the module r (package path name) into dir,
// decompressed, and reads its modinfo.
func extractModule(ctx context.Context, dir, name string, r io.Reader) (module, error) {
	base := filepath.Base(name)
	ext := ""
	for e := range moduleExts {
		if strings.HasSuffix(base, e) && len(e) > len(ext) {
			ext = e
		}
	}
	path := filepath.Join(dir, strings.TrimSuffix(base, ext)+".ko")
	if err := writeDecompressed(ctx, path, r, moduleExts[ext]); err != nil {
		return module{}, fmt.Errorf("usbvm: module %s: %w", base, err)
	}
	m, err := readModinfo(path)
	if err != nil {
		return module{}, fmt.Errorf("usbvm: module %s: %w", base, err)
	}
	if m.name == "" {
		m.name = normalizeModule(strings.TrimSuffix(base, ext))
	}
	return m, nil
}

// writeDecompressed writes r into path, decompressing with tool.
func writeDecompressed(ctx context.Context, path string, r io.Reader, tool string) error {
	switch tool {
	case "":
		return writeFile(path, r, 0o644)
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			return err
		}
		return writeFile(path, zr, 0o644)
	}
	var compressed bytes.Buffer
	if _, err := io.Copy(&compressed, r); err != nil {
		return err
	}
	out, err := runInput(ctx, &compressed, tool, "-dc")
	if err != nil {
		return fmt.Errorf("%w (Debian package %s)", err, map[string]string{"xz": "xz-utils", "zstd": "zstd"}[tool])
	}
	return writeFile(path, bytes.NewReader(out), 0o644)
}

// runInput runs a filter command over in and returns its output.
func runInput(ctx context.Context, in io.Reader, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %s", name, err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// readModinfo reads the name and dependencies of a module from its
// .modinfo section ("name=usbcore\x00depends=usb-common\x00...").
func readModinfo(path string) (module, error) {
	f, err := elf.Open(path)
	if err != nil {
		return module{}, err
	}
	defer f.Close()
	sec := f.Section(".modinfo")
	if sec == nil {
		return module{}, fmt.Errorf("no .modinfo section")
	}
	data, err := sec.Data()
	if err != nil {
		return module{}, err
	}
	m := parseModinfo(data)
	m.path = path
	return m, nil
}

// parseModinfo parses the NUL-separated key=value pairs of .modinfo.
func parseModinfo(data []byte) module {
	var m module
	for field := range bytes.SplitSeq(data, []byte{0}) {
		k, v, ok := strings.Cut(string(field), "=")
		switch {
		case !ok:
		case k == "name":
			m.name = normalizeModule(v)
		case k == "depends":
			for d := range strings.SplitSeq(v, ",") {
				if d = strings.TrimSpace(d); d != "" {
					m.depends = append(m.depends, normalizeModule(d))
				}
			}
		}
	}
	return m
}

// loadOrder returns the targets and everything they depend on, each
// after its dependencies. A dependency that is not among mods is an
// error (it lives outside moduleDirs, or is built in and should not be
// listed).
func loadOrder(mods map[string]module, targets []string) ([]module, error) {
	var order []module
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(name string, from string) error
	visit = func(name, from string) error {
		name = normalizeModule(name)
		switch state[name] {
		case 1:
			return fmt.Errorf("usbvm: module dependency cycle at %s", name)
		case 2:
			return nil
		}
		m, ok := mods[name]
		if !ok {
			return fmt.Errorf("usbvm: module %s (needed by %s) not found in the kernel package", name, from)
		}
		state[name] = 1
		for _, d := range m.depends {
			if err := visit(d, name); err != nil {
				return err
			}
		}
		state[name] = 2
		order = append(order, m)
		return nil
	}
	for _, t := range targets {
		if err := visit(t, "the guest"); err != nil {
			return nil, err
		}
	}
	return order, nil
}
