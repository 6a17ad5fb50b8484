package pipeline

import (
	"fmt"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/drivers"
	"github.com/omsd/omsd/drivers/file"
	"github.com/omsd/omsd/drivers/ipp"
	"github.com/omsd/omsd/drivers/lpr"
	"github.com/omsd/omsd/drivers/socket"
	"github.com/omsd/omsd/drivers/usb"
)

// Printer is a configured device and its driver.
type Printer struct {
	Name string
	Kind string // the driver's name, as in the config
	URI  string // where it prints, for people
	drivers.Driver
}

// OpenPrinter builds the driver for the printer named name in c.
func OpenPrinter(c *config.Config, name string, log zerolog.Logger) (*Printer, error) {
	pc, ok := c.Printer(name)
	if !ok {
		return nil, fmt.Errorf("printer %q is not configured", name)
	}
	log = log.With().Str("printer", name).Logger()
	p := &Printer{Name: name, Kind: pc.Driver}
	switch pc.Driver {
	case "file":
		dir := c.Path(pc.File.Dir)
		p.URI = "file://" + dir
		d := file.New(dir, log)
		d.Link = pc.File.Link
		d.Mode = pc.File.FileMode()
		p.Driver = d
	case "ipp":
		d, err := ipp.New(ipp.Config{
			URI:            pc.IPP.URI,
			DocumentFormat: pc.IPP.DocumentFormat,
			Sides:          pc.IPP.Sides,
			Copies:         pc.IPP.Copies,
			Media:          pc.IPP.Media,
			PollInterval:   pc.IPP.PollInterval.Std(),
			Timeout:        pc.IPP.Timeout.Std(),
		}, log)
		if err != nil {
			return nil, fmt.Errorf("printer %q: %w", name, err)
		}
		p.URI = pc.IPP.URI
		p.Driver = d
	case "lpr":
		l := pc.LPR
		var ft byte
		if l.Filetype != "" {
			ft = l.Filetype[0]
		}
		d, err := lpr.New(lpr.Config{
			Host: l.Host, Port: l.Port, Queue: l.Queue, User: l.User, Hostname: l.Hostname,
			Filetype: ft, ReservedPort: l.ReservedPort, Timeout: l.Timeout.Std(), Banner: l.Banner,
		}, log)
		if err != nil {
			return nil, fmt.Errorf("printer %q: %w", name, err)
		}
		p.URI, p.Driver = d.URI(), d
	case "socket":
		s := pc.Socket
		d, err := socket.New(socket.Config{
			Host: s.Host, Port: s.Port, ConnectTimeout: s.ConnectTimeout.Std(),
			WriteTimeout: s.WriteTimeout.Std(), WaitClose: s.WaitClose.Std(),
		}, log)
		if err != nil {
			return nil, fmt.Errorf("printer %q: %w", name, err)
		}
		p.URI, p.Driver = d.URI(), d
	case "usb":
		d, err := usb.New(usb.Config{Match: pc.USB.Match, Timeout: pc.USB.Timeout.Std(), ChunkSize: pc.USB.ChunkSize}, log)
		if err != nil {
			return nil, fmt.Errorf("printer %q: %w", name, err)
		}
		p.URI, p.Driver = "usb:"+d.Match(), d
	default:
		return nil, fmt.Errorf("printer %q: unknown driver %q", name, pc.Driver)
	}
	return p, nil
}
