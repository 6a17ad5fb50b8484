package channels

import (
	"context"
	"fmt"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/jobs"
)

// Deliveries returns job id's digital deliveries, for the API.
func (s *Service) Deliveries(ctx context.Context, id int64) (api.Deliveries, error) {
	if _, err := jobs.Find(s.store, id); err != nil {
		return api.Deliveries{}, err
	}
	ds, err := s.store.Deliveries(id)
	if err != nil {
		return api.Deliveries{}, fmt.Errorf("job %d: deliveries: %w", id, err)
	}
	out := api.Deliveries{Job: id, States: map[string]int{}, Deliveries: []api.Delivery{}}
	for _, seq := range sortedSeqs(ds) {
		d := ds[seq]
		out.States[d.State]++
		out.Deliveries = append(out.Deliveries, api.Delivery{Seq: d.Seq, Channel: d.Channel, State: d.State, To: d.To,
			MessageID: d.MessageID, Attempts: d.Attempts, NextTry: d.NextTry, Reply: d.Reply, Error: d.Error,
			FallbackJob: d.FallbackJob, OpenBy: d.OpenBy, Opened: d.Opened, Updated: d.Updated})
	}
	return out, nil
}
