//go:build cgo && !usbvm

package usb

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/internal/usbvm"
)

// guestBinary is where the guest finds the test binary.
const guestBinary = "/usbvm/usb.test"

// guestScript runs the guest tests: the status tests while nothing reads
// the gadget, then cat copying /dev/g_printer0 to guestCapture while the
// jobs are sent; then it prints the SHA-256 of what arrived.
var guestScript = strings.Join([]string{
	"cd /tmp",
	guestBinary + " -test.run '^TestGuestStatus$' -test.v -test.timeout 60s || echo USBVM guest-test-failed status",
	"cat /dev/g_printer0 > " + guestCapture + " &",
	guestBinary + " -test.run '^TestGuestJobs$' -test.v -test.timeout 60s || echo USBVM guest-test-failed jobs",
	`echo "USBVM capture bytes=$(wc -c < ` + guestCapture + `) sha256=$(sha256sum < ` + guestCapture + ` | cut -d' ' -f1)"`,
	"kill $!",
}, "\n") + "\n"

// TestInQEMUGuest proves the driver against a real USB printer: the
// printer gadget of a QEMU guest running Debian's kernel (see
// internal/usbvm). It builds this package's guest tests (guest_test.go),
// boots the guest with them and checks what they and the guest report:
// the device id and port status read over USB, paper-empty, timeout and
// cancel outcomes, and two jobs arriving byte-identical on
// /dev/g_printer0.
func TestInQEMUGuest(t *testing.T) {
	// The guest's own bound is QEMU's CPU time (Guest.Timeout); the
	// deadline here only ends a hung run, on a machine however loaded.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	start := time.Now()
	bin := buildGuestTests(t, ctx)
	built := time.Now()
	g := usbvm.Guest{
		Gadget: usbvm.Gadget{VendorID: guestVendor, ProductID: guestProduct, Manufacturer: guestManufacturer,
			Product: guestProductName, Serial: guestSerial, PNPString: guestPNP},
		Files:   map[string]string{guestBinary: bin},
		Script:  guestScript,
		Timeout: 100 * time.Second,
		Logf:    t.Logf,
	}
	img, err := g.Prepare(ctx)
	if err != nil {
		t.Fatal(err)
	}
	prepared := time.Now()
	out, err := img.Boot(ctx)
	t.Logf("timings: guest test build %s, kernel and initramfs %s (initramfs reused %v), boot and tests %s",
		built.Sub(start).Round(100*time.Millisecond), prepared.Sub(built).Round(100*time.Millisecond), img.Reused,
		time.Since(prepared).Round(100*time.Millisecond))
	if err != nil {
		t.Fatalf("%v\nconsole:\n%s", err, out)
	}
	lines := reportLines(out)
	t.Logf("guest reports:\n%s", strings.Join(lines, "\n"))
	checkGuestOutput(t, out, lines)
}

// buildGuestTests compiles this package's tests with the usbvm tag.
func buildGuestTests(t *testing.T, ctx context.Context) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "usb.test")
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	cmd := exec.CommandContext(ctx, goTool, "test", "-c", "-tags", "usbvm", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the guest tests: %v\n%s", err, out)
	}
	return bin
}

// reportLines returns the console lines starting with "USBVM ".
func reportLines(out string) []string {
	var lines []string
	for line := range strings.SplitSeq(out, "\n") {
		if strings.HasPrefix(line, "USBVM ") {
			lines = append(lines, strings.TrimSpace(line))
		}
	}
	return lines
}

// checkGuestOutput asserts the guest tests passed and what they report.
func checkGuestOutput(t *testing.T, out string, lines []string) {
	t.Helper()
	for _, name := range []string{"TestGuestStatus", "TestGuestJobs"} {
		if !strings.Contains(out, "--- PASS: "+name) {
			t.Errorf("%s did not pass in the guest", name)
		}
	}
	if strings.Contains(out, "--- FAIL") || strings.Contains(out, "guest-test-failed") {
		t.Errorf("guest tests failed; console:\n%s", out)
	}
	jobs := guestJobs()
	total := 0
	for _, j := range jobs {
		total += len(j)
	}
	wants := []string{
		fmt.Sprintf("USBVM capture bytes=%d sha256=%s", total, sha256Hex(jobs...)),
		`USBVM list 0525:a4a8 serial=OMS0001 `,
		// Linux's printer gadget loses the last two characters of the id.
		`manufacturer="OMS" product="Virtual Printer" id="MFG:OMS;MDL:VirtualPrinter;CMD:PDF,PCL;CLS:PRINTE"`,
		"USBVM status offline: state=stopped reasons=offline",
		"USBVM status ready: state=idle reasons=none",
		"USBVM status paper-empty: state=stopped reasons=media-empty",
		"USBVM status error: state=stopped reasons=other",
		"USBVM send paper-empty: outcome=stop-queue gadget_took=0 ",
		"USBVM send no-reader: outcome=stop-queue",
		"USBVM send canceled: outcome=cancel",
		"prefix=true err=usb: printer timed out",
		"USBVM usblp bound before: true",
		"USBVM usblp bound after: true",
		"USBVM job 1: bytes=4096 outcome=ok",
		"USBVM job 2: bytes=200001 outcome=ok",
	}
	joined := strings.Join(lines, "\n")
	for _, w := range wants {
		if !strings.Contains(joined, w) {
			t.Errorf("guest reports lack %q", w)
		}
	}
}
