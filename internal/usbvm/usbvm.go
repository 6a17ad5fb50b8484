// Package usbvm boots a small QEMU guest that has a real USB printer, for
// tests of USB printer drivers on machines without USB.
//
// The guest runs Debian's own kernel (the package linux-image-amd64
// depends on, fetched with apt-get download) from a busybox initramfs.
// Its init loads dummy_hcd, which is a USB host controller and a USB
// device controller wired to each other, and the printer gadget function
// usb_f_printer; it creates a printer gadget through configfs and binds
// it to dummy_udc.0. The guest's own USB host side then enumerates a
// printer: the kernel's usblp driver binds to it, as on a real machine,
// libusb finds it under /dev/bus/usb, and whatever a driver sends to it
// comes out of /dev/g_printer0 on the gadget side. Then init runs the
// test's script, prints markers on the serial console and powers off.
//
// Kernel, modules and busybox are cached in a directory outside the
// repository (DefaultCacheDir), the initramfs too, keyed by the hash of
// its contents, so a second run with unchanged inputs only boots.
//
// Needs: qemu-system-x86_64 (Debian qemu-system-x86), apt-get, dpkg-deb
// and ldd. Missing QEMU is installed with apt-get when running as root,
// as CI does; otherwise the error names the package.
package usbvm

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"
)

// Markers the guest's init prints on the console.
const (
	// ReadyMarker is printed when the gadget is bound and enumerated.
	ReadyMarker = "USBVM-READY"
	// ScriptExitMarker is followed by the script's exit status.
	ScriptExitMarker = "USBVM-SCRIPT-EXIT"
	// EndMarker is printed just before the guest powers off.
	EndMarker = "USBVM-END"
	// FailMarker starts a line telling why the guest's setup failed.
	FailMarker = "USBVM-FAIL"
)

// ErrGuest is wrapped by errors about a guest that did not run through.
var ErrGuest = errors.New("usbvm: guest failed")

// DefaultTimeout bounds the CPU time QEMU may use for one boot of the
// guest.
const DefaultTimeout = 2 * time.Minute

// Gadget describes the USB printer the guest presents.
type Gadget struct {
	VendorID, ProductID           uint16
	Manufacturer, Product, Serial string
	// PNPString is the IEEE 1284 device id the printer answers to
	// GET_DEVICE_ID, e.g. "MFG:OMS;MDL:VirtualPrinter;CLS:PRINTER;".
	PNPString string
}

// Guest is one guest to boot.
type Guest struct {
	// CacheDir keeps the kernel, busybox and initramfs between runs;
	// DefaultCacheDir() when empty.
	CacheDir string
	Gadget   Gadget
	// Files maps paths in the guest to files on the host. Dynamically
	// linked programs bring the shared libraries ldd lists for them.
	Files map[string]string
	// Script is run by /bin/sh once the gadget is enumerated; its exit
	// status follows ScriptExitMarker on the console.
	Script string
	// Timeout bounds the CPU time QEMU may use for the boot (a loaded
	// machine makes the boot slower, not costlier); DefaultTimeout when
	// zero. The context given to Boot bounds the wall time.
	Timeout time.Duration
	// Logf, if set, is told about each step (e.g. testing.T.Logf).
	Logf func(format string, args ...any)
}

// DefaultCacheDir is $OMSD_TEST_CACHE if set, else /var/cache/omsd-test
// when it can be created (root), else omsd-test in the user's cache
// directory, else in the temporary directory.
func DefaultCacheDir() string {
	if dir := os.Getenv("OMSD_TEST_CACHE"); dir != "" {
		return dir
	}
	if err := os.MkdirAll("/var/cache/omsd-test", 0o755); err == nil {
		return "/var/cache/omsd-test"
	}
	if dir, err := os.UserCacheDir(); err == nil {
		return filepath.Join(dir, "omsd-test")
	}
	return filepath.Join(os.TempDir(), "omsd-test")
}

// lockCache takes an exclusive lock on the cache directory, so that test
// processes of several packages preparing guests at once do not download
// or write the same files together.
func lockCache(cache string) (unlock func(), err error) {
	f, err := os.OpenFile(filepath.Join(cache, ".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("usbvm: cache lock: %w", err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("usbvm: cache lock: %w", err)
	}
	return func() { f.Close() }, nil
}

// Image is a prepared guest: a kernel and an initramfs.
type Image struct {
	Kernel  string // path of vmlinuz
	Initrd  string // path of the gzip-compressed initramfs
	Reused  bool   // the initramfs was in the cache already
	timeout time.Duration
	logf    func(format string, args ...any)
}

// Run prepares the guest and boots it; it returns the console output.
func (g Guest) Run(ctx context.Context) (string, error) {
	img, err := g.Prepare(ctx)
	if err != nil {
		return "", err
	}
	return img.Boot(ctx)
}

// Prepare obtains the kernel, its modules and busybox (from the cache
// when they are there) and builds the initramfs (unless one with the
// same contents is cached).
func (g Guest) Prepare(ctx context.Context) (*Image, error) {
	logf := g.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	cache := g.CacheDir
	if cache == "" {
		cache = DefaultCacheDir()
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return nil, fmt.Errorf("usbvm: cache directory: %w", err)
	}
	unlock, err := lockCache(cache)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if err := ensureTool(ctx, "qemu-system-x86_64", "qemu-system-x86", logf); err != nil {
		return nil, err
	}
	k, err := obtainKernel(ctx, cache, logf)
	if err != nil {
		return nil, err
	}
	bb, err := obtainBusybox(ctx, cache, logf)
	if err != nil {
		return nil, err
	}
	initrd, reused, err := buildInitramfs(cache, initramfsSpec{
		busybox: bb, modules: k.modules, init: initScript(g.Gadget, k.moduleNames()), script: g.Script, files: g.Files,
	})
	if err != nil {
		return nil, err
	}
	timeout := g.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	logf("usbvm: kernel %s, initramfs %s (reused %v)", k.vmlinuz, initrd, reused)
	return &Image{Kernel: k.vmlinuz, Initrd: initrd, Reused: reused, timeout: timeout, logf: logf}, nil
}
