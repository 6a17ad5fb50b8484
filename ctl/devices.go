package ctl

import (
	"context"
	"fmt"
	"strconv"

	"github.com/omsd/omsd/drivers/usb"
)

// runDevices: omsctl devices usb [--json]. It asks the local USB bus
// directly, without omsd.
func runDevices(ctx context.Context, e *env, args []string) error {
	fs := e.newFlagSet("devices", "usb [--json]")
	asJSON := fs.Bool("json", false, "print the devices as JSON")
	pos, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs("devices", pos, "usb"); err != nil {
		return err
	}
	if pos[0] != "usb" {
		return fmt.Errorf("devices %q: only usb can be listed", pos[0])
	}
	devs, err := usb.List(ctx)
	if err != nil {
		return err
	}
	if devs == nil {
		devs = []usb.Device{}
	}
	if *asJSON {
		return printJSON(e.stdout, devs)
	}
	if len(devs) == 0 {
		fmt.Fprintln(e.stdout, "no USB printers attached")
		return nil
	}
	t := newTable(e.stdout, "MATCH", "BUS", "ADDRESS", "MANUFACTURER", "PRODUCT", "DEVICE ID")
	for _, d := range devs {
		id := d.DeviceID
		if d.Error != "" {
			id = "(" + d.Error + ")"
		}
		t.row(d.Match(), strconv.Itoa(d.Bus), strconv.Itoa(d.Address), d.Manufacturer, d.Product, id)
	}
	return t.flush()
}
