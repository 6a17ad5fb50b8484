package usbvm

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// targetModules are the modules the guest needs; their dependencies are
// found from the modules' own modinfo and loaded first.
var targetModules = []string{"dummy_hcd", "usb_f_printer", "usblp"}

// moduleDirs are the directories of the kernel package whose modules are
// extracted: the targets and all they depend on live there.
var moduleDirs = []string{"/kernel/drivers/usb/", "/kernel/fs/configfs/"}

// kernel is an extracted kernel with the modules the guest loads.
type kernel struct {
	vmlinuz string
	modules []string // paths of uncompressed .ko files, in load order
}

// moduleNames are the module file names in load order.
func (k *kernel) moduleNames() []string {
	names := make([]string, len(k.modules))
	for i, m := range k.modules {
		names[i] = filepath.Base(m)
	}
	return names
}

// orderFile lists the modules of a cached kernel in load order.
const orderFile = "modules.order"

// obtainKernel returns the kernel of the current linux-image package from
// the cache, downloading and extracting it first if needed.
func obtainKernel(ctx context.Context, cache string, logf func(string, ...any)) (*kernel, error) {
	pkg, version, err := resolveKernelPackage(ctx, logf)
	if err != nil {
		if k := anyCachedKernel(cache); k != nil {
			logf("usbvm: %v; using the cached kernel %s", err, k.vmlinuz)
			return k, nil
		}
		return nil, err
	}
	dir := filepath.Join(cache, "kernel", pkg+"_"+version)
	if k, err := loadKernel(dir); err == nil {
		return k, nil
	}
	logf("usbvm: downloading %s %s", pkg, version)
	if err := extractKernel(ctx, cache, pkg+"="+version, dir); err != nil {
		return nil, err
	}
	removeOthers(filepath.Join(cache, "kernel"), filepath.Base(dir))
	return loadKernel(dir)
}

// loadKernel reads a cached kernel directory.
func loadKernel(dir string) (*kernel, error) {
	order, err := os.ReadFile(filepath.Join(dir, orderFile))
	if err != nil {
		return nil, err
	}
	k := &kernel{vmlinuz: filepath.Join(dir, "vmlinuz")}
	if _, err := os.Stat(k.vmlinuz); err != nil {
		return nil, err
	}
	for _, name := range strings.Fields(string(order)) {
		k.modules = append(k.modules, filepath.Join(dir, "modules", name))
	}
	return k, nil
}

// anyCachedKernel returns a cached kernel, for machines that cannot reach
// the package lists, or nil.
func anyCachedKernel(cache string) *kernel {
	dirs, _ := filepath.Glob(filepath.Join(cache, "kernel", "linux-image-*"))
	for i := len(dirs) - 1; i >= 0; i-- {
		if k, err := loadKernel(dirs[i]); err == nil {
			return k
		}
	}
	return nil
}

// extractKernel downloads the package and writes vmlinuz, the needed
// modules and their load order into dir, through a staging directory so
// that dir is either complete or absent.
func extractKernel(ctx context.Context, cache, pkg, dir string) error {
	tmp, err := os.MkdirTemp(cache, "kernel-download-")
	if err != nil {
		return fmt.Errorf("usbvm: %w", err)
	}
	defer os.RemoveAll(tmp)
	deb, err := download(ctx, tmp, pkg)
	if err != nil {
		return err
	}
	stage := filepath.Join(tmp, "stage")
	found, err := extractKernelFiles(ctx, deb, stage)
	if err != nil {
		return err
	}
	order, err := loadOrder(found, targetModules)
	if err != nil {
		return err
	}
	var names []string
	for _, m := range order {
		name := m.name + ".ko"
		if err := os.Rename(m.path, filepath.Join(stage, "modules", name)); err != nil {
			return fmt.Errorf("usbvm: %w", err)
		}
		names = append(names, name)
	}
	if err := os.WriteFile(filepath.Join(stage, orderFile), []byte(strings.Join(names, "\n")+"\n"), 0o644); err != nil {
		return fmt.Errorf("usbvm: %w", err)
	}
	os.RemoveAll(filepath.Join(stage, "all"))
	os.RemoveAll(dir)
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return fmt.Errorf("usbvm: %w", err)
	}
	if err := os.Rename(stage, dir); err != nil {
		return fmt.Errorf("usbvm: %w", err)
	}
	return nil
}

// extractKernelFiles writes vmlinuz into stage and the uncompressed
// modules of moduleDirs into stage/all, and returns those modules.
func extractKernelFiles(ctx context.Context, deb, stage string) (map[string]module, error) {
	mods := map[string]module{}
	haveKernel := false
	err := walkDeb(ctx, deb, func(name string, r io.Reader) error {
		switch {
		case strings.HasPrefix(name, "boot/vmlinuz-"):
			haveKernel = true
			return writeFile(filepath.Join(stage, "vmlinuz"), r, 0o644)
		case strings.HasPrefix(name, "lib/modules/") && inModuleDirs(name) && isModule(name):
			m, err := extractModule(ctx, filepath.Join(stage, "all"), name, r)
			if err != nil {
				return err
			}
			mods[m.name] = m
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !haveKernel {
		return nil, fmt.Errorf("%w: %s has no boot/vmlinuz-*", ErrTool, filepath.Base(deb))
	}
	if err := os.MkdirAll(filepath.Join(stage, "modules"), 0o755); err != nil {
		return nil, fmt.Errorf("usbvm: %w", err)
	}
	return mods, nil
}

// inModuleDirs reports whether a package path lies in one of moduleDirs.
func inModuleDirs(name string) bool {
	for _, d := range moduleDirs {
		if strings.Contains(name, d) {
			return true
		}
	}
	return false
}

// removeOthers deletes the entries of dir except keep: older kernels.
func removeOthers(dir, keep string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != keep {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}
