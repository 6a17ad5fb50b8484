package usbvm

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// kernelMetaPackage is the package whose dependency names the current
// kernel image package of the distribution.
const kernelMetaPackage = "linux-image-amd64"

// resolveKernelPackage returns the kernel image package linux-image-amd64
// depends on (e.g. linux-image-6.1.0-56-amd64) and its candidate version.
// When the package lists know neither and the process is root, they are
// updated once.
func resolveKernelPackage(ctx context.Context, logf func(string, ...any)) (pkg, version string, err error) {
	pkg, err = kernelDependency(ctx)
	if err != nil && os.Geteuid() == 0 {
		logf("usbvm: %v; running apt-get update", err)
		if _, uerr := aptGet(ctx, "", "update", "-qq"); uerr != nil {
			return "", "", fmt.Errorf("%w: %w (apt-get update: %w)", ErrTool, err, uerr)
		}
		pkg, err = kernelDependency(ctx)
	}
	if err != nil {
		return "", "", fmt.Errorf("%w: %w", ErrTool, err)
	}
	version, err = candidateVersion(ctx, pkg)
	if err != nil {
		return "", "", fmt.Errorf("%w: %w", ErrTool, err)
	}
	return pkg, version, nil
}

// kernelDependency reads the kernel image package from apt-cache depends.
func kernelDependency(ctx context.Context) (string, error) {
	out, err := run(ctx, "", "apt-cache", "depends", kernelMetaPackage)
	if err != nil {
		return "", fmt.Errorf("no package %s in the apt lists: %w", kernelMetaPackage, err)
	}
	if pkg := parseKernelDependency(out); pkg != "" {
		return pkg, nil
	}
	return "", fmt.Errorf("apt-cache depends %s names no linux-image package", kernelMetaPackage)
}

// parseKernelDependency finds "Depends: linux-image-..." in apt-cache
// depends output.
func parseKernelDependency(out []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), ":")
		v = strings.Trim(strings.TrimSpace(v), "<>")
		if ok && k == "Depends" && strings.HasPrefix(v, "linux-image-") {
			return v
		}
	}
	return ""
}

// candidateVersion reads the version apt would install of pkg.
func candidateVersion(ctx context.Context, pkg string) (string, error) {
	out, err := run(ctx, "", "apt-cache", "show", "--no-all-versions", pkg)
	if err != nil {
		return "", err
	}
	for line := range strings.SplitSeq(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "Version: "); ok {
			return strings.TrimSpace(v), nil
		}
	}
	return "", fmt.Errorf("apt-cache show %s gives no version", pkg)
}

// download fetches pkg (optionally pinned as pkg=version) into dir with
// apt-get download and returns the .deb's path.
func download(ctx context.Context, dir, pkg string) (string, error) {
	if _, err := aptGet(ctx, dir, "download", "-qq", pkg); err != nil {
		return "", fmt.Errorf("%w: downloading %s: %w", ErrTool, pkg, err)
	}
	name, _, _ := strings.Cut(pkg, "=")
	debs, _ := filepath.Glob(filepath.Join(dir, name+"_*.deb"))
	if len(debs) != 1 {
		return "", fmt.Errorf("%w: apt-get download %s left %d .deb files", ErrTool, pkg, len(debs))
	}
	return debs[0], nil
}

// errStopWalk ends walkDeb early without an error.
var errStopWalk = errors.New("stop")

// walkDeb calls fn for every regular file in the data archive of a .deb,
// read through dpkg-deb --fsys-tarfile. Names are cleaned of the leading
// "./". fn may return errStopWalk to stop.
func walkDeb(ctx context.Context, deb string, fn func(name string, r io.Reader) error) error {
	cmd := exec.CommandContext(ctx, "dpkg-deb", "--fsys-tarfile", deb)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("usbvm: dpkg-deb: %w", err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("%w: dpkg-deb (package dpkg): %w", ErrTool, err)
	}
	walkErr := walkTar(out, fn)
	io.Copy(io.Discard, out)
	waitErr := cmd.Wait()
	switch {
	case walkErr != nil && !errors.Is(walkErr, errStopWalk):
		return fmt.Errorf("usbvm: reading %s: %w", filepath.Base(deb), walkErr)
	case waitErr != nil && !errors.Is(walkErr, errStopWalk):
		return fmt.Errorf("usbvm: dpkg-deb --fsys-tarfile %s: %w: %s", filepath.Base(deb), waitErr, stderr.String())
	}
	return nil
}

// walkTar calls fn for each regular file of a tar stream.
func walkTar(r io.Reader, fn func(name string, r io.Reader) error) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		if err := fn(strings.TrimPrefix(h.Name, "./"), tr); err != nil {
			return err
		}
	}
}

// writeFile copies r into path with mode.
func writeFile(path string, r io.Reader, mode os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
