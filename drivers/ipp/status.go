package ipp

import (
	"context"

	goipp "github.com/phin1x/go-ipp"

	"github.com/omsd/omsd/drivers"
)

// printerStateNames are the keywords of IPP printer-state values.
var printerStateNames = map[int]string{3: "idle", 4: "processing", 5: "stopped"}

// Status reads the printer's state with Get-Printer-Attributes. An
// unreachable printer gives an error wrapping drivers.ErrUnreachable.
func (d *Driver) Status(ctx context.Context) (drivers.Status, error) {
	resp, err := d.call(ctx, "Get-Printer-Attributes", d.printerAttrsRequest())
	if err != nil {
		return drivers.Status{State: "unknown"}, err
	}
	attrs := firstGroup(resp.PrinterAttributes)
	st := drivers.Status{State: "unknown", Reasons: allStrings(attrs, goipp.AttributePrinterStateReasons)}
	if v, ok := firstInt(attrs, goipp.AttributePrinterState); ok && printerStateNames[v] != "" {
		st.State = printerStateNames[v]
	}
	st.AcceptingJobs, _ = firstBool(attrs, goipp.AttributePrinterIsAcceptingJobs)
	st.Info, _ = firstString(attrs, goipp.AttributePrinterInfo)
	st.MakeModel, _ = firstString(attrs, goipp.AttributePrinterMakeAndModel)
	return st, nil
}
