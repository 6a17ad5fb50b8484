package usbvm

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestParseLdd(t *testing.T) {
	out := `	linux-vdso.so.1 (0x00007ffd2a1f2000)
	libusb-1.0.so.0 => /lib/x86_64-linux-gnu/libusb-1.0.so.0 (0x00007f0d5c8a1000)
	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0d5c6c0000)
	libudev.so.1 => /lib/x86_64-linux-gnu/libudev.so.1 (0x00007f0d5c690000)
	/lib64/ld-linux-x86-64.so.2 (0x00007f0d5c8d0000)
`
	got, err := parseLdd([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"/lib/x86_64-linux-gnu/libusb-1.0.so.0", "/lib/x86_64-linux-gnu/libc.so.6",
		"/lib/x86_64-linux-gnu/libudev.so.1", "/lib64/ld-linux-x86-64.so.2"}
	if !slices.Equal(got, want) {
		t.Errorf("parseLdd = %q, want %q", got, want)
	}
	if got, err := parseLdd([]byte("\tstatically linked\n")); err != nil || len(got) != 0 {
		t.Errorf("static: %q, %v", got, err)
	}
	if _, err := parseLdd([]byte("\tlibusb-1.0.so.0 => not found\n")); err == nil {
		t.Error("a library ldd cannot find is not an error")
	}
}

func TestIsDynamic(t *testing.T) {
	script := filepath.Join(t.TempDir(), "run.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if dyn, err := isDynamic(script); err != nil || dyn {
		t.Errorf("isDynamic(script) = %v, %v", dyn, err)
	}
	if _, err := isDynamic(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("isDynamic of a missing file gives no error")
	}
	if dyn, err := isDynamic("/bin/sh"); err != nil || !dyn {
		t.Errorf("isDynamic(/bin/sh) = %v, %v; Debian's dash is dynamic", dyn, err)
	}
}

func TestParseKernelDependency(t *testing.T) {
	tests := []struct{ out, want string }{
		{"linux-image-amd64\n  Depends: linux-image-6.1.0-56-amd64\n", "linux-image-6.1.0-56-amd64"},
		{"linux-image-amd64\n  PreDepends: dpkg\n |Depends: <linux-image-6.12.0-1-amd64>\n", ""},
		{"linux-image-amd64\n  Depends: <linux-image-6.12.0-1-amd64>\n", "linux-image-6.12.0-1-amd64"},
		{"linux-image-amd64\n  Recommends: firmware-linux-free\n", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := parseKernelDependency([]byte(tt.out)); got != tt.want {
			t.Errorf("parseKernelDependency(%q) = %q, want %q", tt.out, got, tt.want)
		}
	}
}

func TestParseModinfo(t *testing.T) {
	data := []byte("license=GPL\x00depends=libcomposite,udc-core,configfs\x00retpoline=Y\x00name=usb_f_printer\x00vermagic=6.1.0 SMP\x00")
	m := parseModinfo(data)
	if m.name != "usb_f_printer" || !slices.Equal(m.depends, []string{"libcomposite", "udc_core", "configfs"}) {
		t.Errorf("parseModinfo = %+v", m)
	}
	if m := parseModinfo([]byte("depends=\x00name=usb-common\x00")); m.name != "usb_common" || len(m.depends) != 0 {
		t.Errorf("parseModinfo without dependencies = %+v", m)
	}
}

func TestLoadOrder(t *testing.T) {
	mods := map[string]module{
		"usb_common":    {name: "usb_common"},
		"usbcore":       {name: "usbcore", depends: []string{"usb_common"}},
		"udc_core":      {name: "udc_core", depends: []string{"usb_common"}},
		"configfs":      {name: "configfs"},
		"libcomposite":  {name: "libcomposite", depends: []string{"udc_core", "configfs"}},
		"dummy_hcd":     {name: "dummy_hcd", depends: []string{"udc_core", "usbcore"}},
		"usb_f_printer": {name: "usb_f_printer", depends: []string{"libcomposite"}},
		"usblp":         {name: "usblp", depends: []string{"usbcore"}},
	}
	order, err := loadOrder(mods, []string{"dummy_hcd", "usb_f_printer", "usblp"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range order {
		names = append(names, m.name)
	}
	want := []string{"usb_common", "udc_core", "usbcore", "dummy_hcd", "configfs", "libcomposite", "usb_f_printer", "usblp"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("load order %v, want %v", names, want)
	}
	pos := map[string]int{}
	for i, n := range names {
		pos[n] = i
	}
	for _, m := range order {
		for _, d := range m.depends {
			if pos[d] > pos[m.name] {
				t.Errorf("%s loads before its dependency %s", m.name, d)
			}
		}
	}

	mods["usbcore"] = module{name: "usbcore", depends: []string{"usb_common", "missing_mod"}}
	if _, err := loadOrder(mods, []string{"dummy_hcd"}); err == nil || !strings.Contains(err.Error(), "missing_mod") {
		t.Errorf("missing dependency: %v", err)
	}
	mods["usbcore"] = module{name: "usbcore", depends: []string{"dummy_hcd"}}
	if _, err := loadOrder(mods, []string{"dummy_hcd"}); err == nil || !strings.Contains(err.Error(), "cycle") {
		t.Errorf("cycle: %v", err)
	}
}

func TestCheckConsole(t *testing.T) {
	tests := []struct {
		out string
		ok  bool
	}{
		{"USBVM-READY\nUSBVM-SCRIPT-EXIT 0\nUSBVM-END\n[ 4.1] reboot: Power down\n", true},
		{"USBVM-FAIL insmod usbcore.ko\n", false},
		{"USBVM-READY\n[ 2.0] Kernel panic - not syncing\n", false},
	}
	for _, tt := range tests {
		err := checkConsole(tt.out)
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrGuest)) {
			t.Errorf("checkConsole(%q) = %v", tt.out, err)
		}
	}
}

func TestQemuArgs(t *testing.T) {
	args := strings.Join(qemuArgs("/k/vmlinuz", "/k/initrd.gz"), " ")
	for _, want := range []string{"-accel tcg", "-kernel /k/vmlinuz", "-initrd /k/initrd.gz", "-no-reboot", "console=ttyS0", "panic=-1"} {
		if !strings.Contains(args, want) {
			t.Errorf("qemu arguments %q lack %q", args, want)
		}
	}
}
