package usbvm

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var testGadget = Gadget{VendorID: 0x0525, ProductID: 0xa4a8, Manufacturer: "O'Brien & Sons", Product: "Virtual Printer",
	Serial: "OMS0001", PNPString: "MFG:OMS;MDL:VirtualPrinter;CMD:PDF,PCL;CLS:PRINTER;"}

func TestInitScript(t *testing.T) {
	s := initScript(testGadget, []string{"usb-common.ko", "usbcore.ko"})
	for _, want := range []string{
		"insmod '/lib/modules/usbvm/usb-common.ko' ||",
		"insmod '/lib/modules/usbvm/usbcore.ko' ||",
		"printf '%s' '0x0525' > " + gadgetDir + "/idVendor",
		"printf '%s' '0xa4a8' > " + gadgetDir + "/idProduct",
		`printf '%s' 'O'\''Brien & Sons' > ` + gadgetDir + "/strings/0x409/manufacturer",
		"printf '%s' 'MFG:OMS;MDL:VirtualPrinter;CMD:PDF,PCL;CLS:PRINTER;' > " + gadgetDir + "/functions/printer.usb0/pnp_string",
		"echo dummy_udc.0 > " + gadgetDir + "/UDC",
		"grep -qx 0525 /sys/bus/usb/devices/*/idVendor",
		"echo " + ReadyMarker, "sh " + guestScript, "echo " + EndMarker, "poweroff -f",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("init script lacks %q", want)
		}
	}
	if i, j := strings.Index(s, "usb-common.ko"), strings.Index(s, "usbcore.ko"); i > j {
		t.Error("modules are not loaded in the given order")
	}
	path := filepath.Join(t.TempDir(), "init")
	if err := os.WriteFile(path, []byte(s), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("sh", "-n", path).CombinedOutput(); err != nil {
		t.Errorf("init script has a syntax error: %v\n%s", err, out)
	}
}

func TestShellQuote(t *testing.T) {
	for _, s := range []string{"plain", "it's", `a "b" $c \d`, "MFG:x;MDL:y;", ""} {
		out, err := exec.Command("sh", "-c", "printf '%s' "+shellQuote(s)).Output()
		if err != nil || string(out) != s {
			t.Errorf("shellQuote(%q) prints %q, %v", s, out, err)
		}
	}
}
