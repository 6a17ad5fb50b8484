package usb

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/omsd/omsd/drivers"
)

func TestStatus(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(*fakePrinter)
		state     string
		reasons   []string
		makeModel string
	}{
		{"ready", nil, "idle", []string{"none"}, "OMS VirtualPrinter"},
		{"paper empty", func(p *fakePrinter) { p.port |= byte(PortPaperEmpty) }, "stopped", []string{"media-empty"}, "OMS VirtualPrinter"},
		{"error line", func(p *fakePrinter) { p.port = byte(PortSelected) }, "stopped", []string{"other"}, "OMS VirtualPrinter"},
		{"offline", func(p *fakePrinter) { p.port = byte(PortNotError) }, "stopped", []string{"offline"}, "OMS VirtualPrinter"},
		{"no port status", func(p *fakePrinter) { p.noPort = true }, "idle", []string{"none"}, "OMS VirtualPrinter"},
		{"no device id", func(p *fakePrinter) { p.id = nil }, "idle", []string{"none"}, "OMS Virtual Printer"},
		{"model names the make", func(p *fakePrinter) { p.id = idAnswer("MFG:EPSON;MDL:EPSON ET-2810;") }, "idle", []string{"none"}, "EPSON ET-2810"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dev := virtualPrinter()
			if tt.setup != nil {
				tt.setup(dev)
			}
			d, b := newFakeDriver(t, Config{Match: "0525:a4a8:OMS0001"}, dev)
			st, err := d.Status(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if st.State != tt.state || !slices.Equal(st.Reasons, tt.reasons) || st.MakeModel != tt.makeModel || !st.AcceptingJobs {
				t.Errorf("Status = %+v, want %s %v %q accepting", st, tt.state, tt.reasons, tt.makeModel)
			}
			if !strings.Contains(st.Info, "USB 0525:a4a8 bus 1 address 2 serial OMS0001") {
				t.Errorf("Info %q", st.Info)
			}
			if !dev.balanced() || b.closed != 1 {
				t.Errorf("opens/closes %d/%d, sessions closed %d", dev.opens, dev.closes, b.closed)
			}
		})
	}
}

func TestStatusClassRequests(t *testing.T) {
	dev := virtualPrinter()
	dev.cand.Interface, dev.cand.Alt, dev.cand.ConfigIndex = 1, 2, 0
	d, _ := newFakeDriver(t, Config{Match: "0525:a4a8"}, dev)
	if _, err := d.Status(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []controlCall{
		{rtClassInterfaceIn, reqGetDeviceID, 0, 1<<8 | 2, deviceIDBufSize},
		{rtClassInterfaceIn, reqGetPortStatus, 0, 1, 1},
	}
	if !slices.Equal(dev.controls, want) {
		t.Errorf("control requests %+v, want %+v", dev.controls, want)
	}
}

func TestStatusUnreachable(t *testing.T) {
	d, _ := newFakeDriver(t, Config{Match: "04b8:0e28"}, virtualPrinter())
	st, err := d.Status(context.Background())
	if !errors.Is(err, drivers.ErrUnreachable) || !errors.Is(err, ErrNotFound) || st.State != "unknown" {
		t.Errorf("Status = %+v, %v; want unknown and unreachable", st, err)
	}
}

func TestStatusDuringSend(t *testing.T) {
	dev := virtualPrinter()
	dev.block = true
	d, _ := newFakeDriver(t, Config{Match: "0525:a4a8", ChunkSize: 1024, Timeout: time.Minute}, dev)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		d.Send(ctx, writeDoc(t, pattern(5000), 1), nil)
		close(done)
	}()
	waitFor(t, func() bool { d.mu.Lock(); defer d.mu.Unlock(); return d.active != nil })
	st, err := d.Status(context.Background())
	if err != nil || st.State != "processing" || st.MakeModel != "OMS VirtualPrinter" {
		t.Errorf("Status during Send = %+v, %v; want processing", st, err)
	}
	if dev.opens != 1 {
		t.Errorf("device opened %d times; Status must use the job's connection", dev.opens)
	}
	cancel()
	<-done
	if !dev.balanced() {
		t.Errorf("opens %d, closes %d", dev.opens, dev.closes)
	}
}

func TestListPrinters(t *testing.T) {
	ok := virtualPrinter()
	busy := virtualPrinter()
	busy.cand.Address, busy.openErr = 3, ErrBusy
	noID := virtualPrinter()
	noID.cand.Address, noID.id, noID.strs = 4, nil, deviceStrings{}
	b := &fakeBus{devs: []*fakePrinter{ok, busy, noID}}
	devs, err := listPrinters(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	want := []Device{
		{VendorID: "0525", ProductID: "a4a8", Serial: "OMS0001", Bus: 1, Address: 2,
			DeviceID: "MFG:OMS;MDL:VirtualPrinter;CMD:PDF,PCL;CLS:PRINTER;", Manufacturer: "OMS", Product: "Virtual Printer"},
		{VendorID: "0525", ProductID: "a4a8", Bus: 1, Address: 3},
		{VendorID: "0525", ProductID: "a4a8", Bus: 1, Address: 4},
	}
	if len(devs) != len(want) {
		t.Fatalf("List = %+v", devs)
	}
	if !strings.Contains(devs[1].Error, "printer busy") {
		t.Errorf("busy device error %q", devs[1].Error)
	}
	devs[1].Error = ""
	if !slices.Equal(devs, want) {
		t.Errorf("List = %+v\nwant %+v", devs, want)
	}
	for _, p := range b.devs {
		if !p.balanced() {
			t.Errorf("device %d: opens %d, closes %d", p.cand.Address, p.opens, p.closes)
		}
	}
}

func TestFindByDeviceID(t *testing.T) {
	other := virtualPrinter()
	other.cand.VendorID, other.cand.Address = 0x04b8, 5
	other.id = idAnswer("MFG:EPSON;MDL:ET-2810 Series;CMD:ESCPL2,BDC;")
	mine := virtualPrinter()
	mine.cand.Address = 6
	b := &fakeBus{devs: []*fakePrinter{other, mine}}
	sel, err := parseSelector("1284:MFG:OMS;CMD:PDF")
	if err != nil {
		t.Fatal(err)
	}
	p, err := find(context.Background(), b, sel, nopLogger())
	if err != nil {
		t.Fatal(err)
	}
	defer p.conn.close()
	if p.cand.Address != 6 {
		t.Errorf("found %s, want address 6", p)
	}
	if other.opens != 1 || !other.balanced() {
		t.Errorf("the non-matching printer was opened %d and closed %d times", other.opens, other.closes)
	}
}
