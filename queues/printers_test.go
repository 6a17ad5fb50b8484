package queues

import (
	"testing"
	"time"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/pipeline"
)

// TestPrinterDocument: a printer's API document carries its capabilities
// (declared, else what the device said), its error policy, and counters of
// the outputs it took and the attempts that failed.
func TestPrinterDocument(t *testing.T) {
	yes := true
	pc := config.Printer{Name: "p1", Capabilities: config.Capabilities{Color: &yes, Media: []string{"iso_a4_210x297mm"}},
		ErrorPolicy: config.ErrorPolicy{Action: config.PolicyRetryJob, Interval: config.Duration(30 * time.Second), Limit: 5, FailoverAfter: 3}}
	q := newPrinterQueue(&pipeline.Printer{Name: "p1", Kind: "ipp"}, pc)
	q.caps = &drivers.Capabilities{Formats: []string{"application/pdf"}, Duplex: true, Color: false, Media: []string{"na_letter_8.5x11in"}}
	s := &Service{cfg: config.Default(), printers: map[string]*printerQueue{"p1": q}}
	q.count(drivers.OK, 12)
	q.count(drivers.Failed, 4)
	q.count(drivers.OK, 3)
	q.count(drivers.Retry, 3)
	p := s.apiPrinter(q, 0, 0)
	c := p.Capabilities
	if !c.Asked || len(c.Formats) != 1 || c.Duplex == nil || !*c.Duplex || c.Color == nil || !*c.Color || len(c.Media) != 1 || c.Media[0] != "iso_a4_210x297mm" {
		t.Errorf("capabilities %+v; want the declared colour and media, the device's formats and duplex", c)
	}
	if pol := p.ErrorPolicy; pol.Action != "retry-job" || pol.Interval != 30*time.Second || pol.Limit != 5 || pol.FailoverAfter != 3 {
		t.Errorf("error policy %+v", pol)
	}
	if n := p.Counters; n.OutputsSent != 2 || n.SheetsSent != 15 || n.Failures != 2 || n.FailuresInRow != 1 || n.Since.IsZero() {
		t.Errorf("counters %+v; want 2 outputs, 15 sheets, 2 failures, 1 in a row", n)
	}
}
