package ipp

import (
	"context"
	"slices"

	goipp "github.com/phin1x/go-ipp"

	"github.com/omsd/omsd/drivers"
)

// capabilityAttrs are the printer attributes Capabilities asks for.
var capabilityAttrs = []string{
	"document-format-supported", "sides-supported", "color-supported", "media-supported",
}

var _ drivers.CapabilityReader = (*Driver)(nil)

// Capabilities asks the printer what it can print: its document formats,
// whether it prints two-sided and in colour, and its media.
func (d *Driver) Capabilities(ctx context.Context) (drivers.Capabilities, error) {
	req := d.newRequest(goipp.OperationGetPrinterAttributes)
	req.OperationAttributes[goipp.AttributeRequestedAttributes] = slices.Clone(capabilityAttrs)
	resp, err := d.call(ctx, "Get-Printer-Attributes", req)
	if err != nil {
		return drivers.Capabilities{}, err
	}
	attrs := firstGroup(resp.PrinterAttributes)
	c := drivers.Capabilities{
		Formats: allStrings(attrs, "document-format-supported"),
		Media:   allStrings(attrs, "media-supported"),
	}
	c.Color, _ = firstBool(attrs, "color-supported")
	for _, s := range allStrings(attrs, "sides-supported") {
		if s != "one-sided" {
			c.Duplex = true
		}
	}
	return c, nil
}
