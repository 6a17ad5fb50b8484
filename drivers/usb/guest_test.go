//go:build usbvm

// The tests of this file run inside the QEMU guest of TestInQEMUGuest
// (go test -c -tags usbvm), against the guest's printer gadget. They
// print "USBVM ..." lines that the host test checks.

package usb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/sys/unix"

	"github.com/omsd/omsd/drivers"
)

// ioctls of the printer gadget's character device (linux/usb/g_printer.h).
const (
	gadgetGetPrinterStatus = 0x80016721 // _IOR('g', 0x21, unsigned char)
	gadgetSetPrinterStatus = 0xc0016722 // _IOWR('g', 0x22, unsigned char)
)

// report prints a line for the host test.
func report(format string, args ...any) {
	fmt.Printf("USBVM "+format+"\n", args...)
}

// guestLog is the driver's log, on the console for failures.
func guestLog() zerolog.Logger {
	w := zerolog.ConsoleWriter{Out: os.Stderr, NoColor: true, PartsExclude: []string{zerolog.TimestampFieldName}}
	return zerolog.New(w).Level(zerolog.InfoLevel)
}

// usblpBound reports whether the kernel's usblp driver holds an interface.
func usblpBound() bool {
	m, _ := filepath.Glob("/sys/bus/usb/drivers/usblp/*:*")
	return len(m) > 0
}

// TestGuestStatus runs before anything reads /dev/g_printer0, so the
// gadget takes no bulk data: it proves the device id, the port status
// bits, paper-empty, timeout and cancel handling, and usblp's detach and
// reattach.
func TestGuestStatus(t *testing.T) {
	ctx := context.Background()
	report("usblp bound before: %v", usblpBound())
	if !usblpBound() {
		t.Error("usblp is not bound to the printer: the detach is not exercised")
	}
	checkList(t, ctx)

	d, err := New(Config{Match: "1284:MFG:OMS;MDL:VirtualPrinter", Timeout: 2 * time.Second}, guestLog())
	if err != nil {
		t.Fatal(err)
	}
	// Nobody has the gadget's device open: the select line is down.
	expectStatus(t, d, "offline", "stopped", "offline")

	fd, err := unix.Open("/dev/g_printer0", unix.O_RDWR|unix.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	expectStatus(t, d, "ready", "idle", "none")

	setGadgetStatus(t, fd, PortNotError|PortSelected|PortPaperEmpty)
	expectStatus(t, d, "paper-empty", "stopped", "media-empty")
	out, err := d.Send(ctx, writeDoc(t, jobData(9, 4096), 1), nil)
	got := drainGadget(t, fd)
	report("send paper-empty: outcome=%s gadget_took=%d err=%v", out, len(got), err)
	if out != drivers.StopQueue || !errors.Is(err, ErrPaperEmpty) || len(got) != 0 {
		t.Errorf("Send with paper empty = %v, %v, %d bytes sent; want stop-queue, ErrPaperEmpty, none", out, err, len(got))
	}

	setGadgetStatus(t, fd, PortSelected)
	expectStatus(t, d, "error", "stopped", "other")

	setGadgetStatus(t, fd, PortNotError|PortSelected)
	checkTimeoutAndCancel(t, fd)
	report("usblp bound after: %v", usblpBound())
	if !usblpBound() {
		t.Error("usblp was not attached again after the driver released the printer")
	}
}

// checkList lists the attached printers and checks the gadget's entry.
func checkList(t *testing.T, ctx context.Context) {
	devs, err := List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, dev := range devs {
		report("list %s:%s serial=%s bus=%d address=%d manufacturer=%q product=%q id=%q error=%q",
			dev.VendorID, dev.ProductID, dev.Serial, dev.Bus, dev.Address, dev.Manufacturer, dev.Product, dev.DeviceID, dev.Error)
	}
	if len(devs) != 1 {
		t.Fatalf("List found %d printers, want 1", len(devs))
	}
	dev := devs[0]
	want := Device{VendorID: "0525", ProductID: "a4a8", Serial: guestSerial, Bus: dev.Bus, Address: dev.Address,
		Manufacturer: guestManufacturer, Product: guestProductName, DeviceID: dev.DeviceID}
	if dev != want {
		t.Errorf("List = %+v, want %+v", dev, want)
	}
	// The gadget announces the id's length without the two length bytes
	// and sends only that much: the last two characters are lost.
	if !strings.HasPrefix(guestPNP, dev.DeviceID) || len(dev.DeviceID) < len(guestPNP)-2 {
		t.Errorf("device id %q, want %q (or it less its last two characters)", dev.DeviceID, guestPNP)
	}
}

// expectStatus reads the driver's Status and checks state and reason.
func expectStatus(t *testing.T, d *Driver, label, state, reason string) {
	t.Helper()
	st, err := d.Status(context.Background())
	report("status %s: state=%s reasons=%s make_model=%q info=%q err=%v",
		label, st.State, strings.Join(st.Reasons, ","), st.MakeModel, st.Info, err)
	if err != nil || st.State != state || !slices.Equal(st.Reasons, []string{reason}) || st.MakeModel != "OMS VirtualPrinter" {
		t.Errorf("Status (%s) = %+v, %v; want %s with %s, OMS VirtualPrinter", label, st, err, state, reason)
	}
}

// setGadgetStatus sets the port status the gadget answers.
func setGadgetStatus(t *testing.T, fd int, s PortStatus) {
	t.Helper()
	if err := unix.IoctlSetInt(fd, gadgetSetPrinterStatus, int(s)); err != nil {
		t.Fatalf("GADGET_SET_PRINTER_STATUS: %v", err)
	}
	got, err := unix.IoctlRetInt(fd, gadgetGetPrinterStatus)
	if err != nil || got != int(s) {
		t.Fatalf("GADGET_GET_PRINTER_STATUS = %#x, %v; want %#x", got, err, byte(s))
	}
}

// checkTimeoutAndCancel sends while nothing reads the gadget. The gadget
// buffers 80 KiB (ten 8 KiB requests) and then takes no more data: with a
// short timeout the queue stops, and a context ending cancels the job.
// What the gadget took must be the document's beginning; it is drained so
// that the jobs of TestGuestJobs arrive alone.
func checkTimeoutAndCancel(t *testing.T, fd int) {
	data := jobData(3, 256<<10)
	doc := writeDoc(t, data, 1)
	match := fmt.Sprintf("%04x:%04x", guestVendor, guestProduct)
	d, err := New(Config{Match: match, Timeout: time.Second}, guestLog())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	out, err := d.Send(context.Background(), doc, nil)
	got := drainGadget(t, fd)
	report("send no-reader: outcome=%s took=%s gadget_took=%d prefix=%v err=%v",
		out, time.Since(start).Round(10*time.Millisecond), len(got), bytes.HasPrefix(data, got), err)
	if out != drivers.StopQueue || !errors.Is(err, ErrTimeout) {
		t.Errorf("Send to a printer taking no data = %v, %v; want stop-queue, ErrTimeout", out, err)
	}
	if len(got) == len(data) || !bytes.HasPrefix(data, got) {
		t.Errorf("the gadget took %d bytes, want a part of the document's beginning", len(got))
	}

	d, err = New(Config{Match: match, Timeout: time.Minute}, guestLog())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start = time.Now()
	out, err = d.Send(ctx, doc, nil)
	got = drainGadget(t, fd)
	report("send canceled: outcome=%s took=%s gadget_took=%d prefix=%v err=%v",
		out, time.Since(start).Round(10*time.Millisecond), len(got), bytes.HasPrefix(data, got), err)
	if out != drivers.Cancel {
		t.Errorf("Send with its context ending = %v, %v; want cancel", out, err)
	}
	if len(got) == len(data) || !bytes.HasPrefix(data, got) {
		t.Errorf("the gadget took %d bytes, want a part of the document's beginning", len(got))
	}
}

// drainGadget reads what the gadget has buffered, until it stays empty
// for a moment.
func drainGadget(t *testing.T, fd int) []byte {
	var got []byte
	buf := make([]byte, 64<<10)
	for idle := 0; idle < 5; {
		n, err := unix.Read(fd, buf)
		switch {
		case n > 0:
			got = append(got, buf[:n]...)
			idle = 0
		case err == unix.EAGAIN || n == 0:
			idle++
			time.Sleep(40 * time.Millisecond)
		default:
			t.Fatalf("reading /dev/g_printer0: %v", err)
		}
	}
	return got
}

// TestGuestJobs runs while cat copies /dev/g_printer0 to guestCapture:
// two jobs must arrive byte for byte.
func TestGuestJobs(t *testing.T) {
	d, err := New(Config{Match: fmt.Sprintf("%04x:%04x:%s", guestVendor, guestProduct, guestSerial)}, guestLog())
	if err != nil {
		t.Fatal(err)
	}
	waitReady(t, d)
	jobs := guestJobs()
	for i, data := range jobs {
		var rec recorder
		start := time.Now()
		out, err := d.Send(context.Background(), writeDoc(t, data, 10), rec.add)
		reports := rec.all()
		report("job %d: bytes=%d outcome=%s progress_reports=%d took=%s err=%v",
			i+1, len(data), out, len(reports), time.Since(start).Round(time.Millisecond), err)
		if out != drivers.OK || err != nil {
			t.Fatalf("job %d: Send = %v, %v", i+1, out, err)
		}
		if last := reports[len(reports)-1]; last.State != "completed" || last.SheetsDone != 10 {
			t.Errorf("job %d: last progress %+v", i+1, last)
		}
	}
	total := 0
	for _, j := range jobs {
		total += len(j)
	}
	report("sent bytes=%d sha256=%s", total, sha256Hex(jobs...))
	waitCapture(t, total)
}

// waitReady waits until the gadget's reader has opened it (the select
// line goes up).
func waitReady(t *testing.T, d *Driver) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, err := d.Status(context.Background())
		if err == nil && st.State == "idle" {
			report("status before jobs: state=%s reasons=%s make_model=%q", st.State, strings.Join(st.Reasons, ","), st.MakeModel)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("printer not ready: %+v, %v", st, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitCapture waits until cat has written all the bytes sent.
func waitCapture(t *testing.T, total int) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		var size int64
		st, err := os.Stat(guestCapture)
		if err == nil {
			size = st.Size()
		}
		if size >= int64(total) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s has %d bytes (%v), want %d", guestCapture, size, err, total)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
