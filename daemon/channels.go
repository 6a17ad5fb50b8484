package daemon

import (
	"context"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/channels"
	"github.com/omsd/omsd/events"
)

// wakers wakes several services at once.
type wakers []events.Waker

func (w wakers) Wake() {
	for _, x := range w {
		x.Wake()
	}
}

// buildChannels builds the channels service: analysis asks it each
// piece's channel before planning and wakes it with the router when a
// job is analysed; it wakes analysis when a fallback print job is ready.
func (d *Daemon) buildChannels() error {
	var err error
	d.channels, err = channels.New(d.cfg, d.store, d.pub, d.analysed, d.received, d.log, d.channelsArchiving()...)
	if err != nil {
		return err
	}
	d.analysis.DecideChannels(d.channels)
	return nil
}

// Deliveries lists a job's digital deliveries (localapi.ChannelsBackend).
func (b backend) Deliveries(ctx context.Context, id int64) (api.Deliveries, error) {
	return b.d.channels.Deliveries(ctx, id)
}
