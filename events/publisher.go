// Package events is omsd's one event publisher, shared by the services.
//
// The spool is the source of truth and its event log the record of every
// change to a job. A service changes a job through the Publisher (Update,
// SetState, CreateJob), which writes to the spool and then publishes to
// live subscribers (omsctl watch, the API's event stream) every spool event
// they have not seen, in order. Progress events, which are not stored, go
// out through Publish. Services wake each other with a Signal: one service
// writes a job's state, another is woken and reads it from the spool.
package events

import (
	"context"
	"sync"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/spool"
)

// Publisher changes jobs in the spool and publishes the events it caused.
type Publisher struct {
	store *spool.Store
	hub   *Hub
	log   zerolog.Logger

	mu      sync.Mutex
	lastSeq uint64 // last spool event published
}

// NewPublisher returns the publisher of store's events; what the spool
// recorded before is not published again.
func NewPublisher(store *spool.Store, log zerolog.Logger) (*Publisher, error) {
	last, err := store.LastEventSeq()
	if err != nil {
		return nil, err
	}
	return &Publisher{store: store, hub: NewHub(), log: log, lastSeq: last}, nil
}

// Update changes a job in the spool and publishes the events it caused.
func (p *Publisher) Update(id int64, fn func(*spool.Job) error) (spool.Job, error) {
	j, err := p.store.UpdateJob(id, fn)
	p.Flush()
	return j, err
}

// SetState moves a job to state with reasons and a message for people.
func (p *Publisher) SetState(id int64, state spool.State, msg string, reasons ...string) (spool.Job, error) {
	return p.Update(id, func(j *spool.Job) error {
		j.State, j.StateReasons, j.Message = state, reasons, msg
		return nil
	})
}

// CreateJob records a new job and publishes its creation.
func (p *Publisher) CreateJob(j spool.Job) (spool.Job, error) {
	j, err := p.store.CreateJob(j)
	p.Flush()
	return j, err
}

// Flush publishes the spool's events that subscribers have not seen.
func (p *Publisher) Flush() {
	p.mu.Lock()
	defer p.mu.Unlock()
	evs, err := p.store.Events(p.lastSeq, 0)
	if err != nil {
		p.log.Error().Err(err).Msg("reading the event log")
		return
	}
	for _, e := range evs {
		p.hub.Publish(API(e))
		p.lastSeq = e.Seq
	}
}

// Publish sends a live event that the spool does not keep (progress).
func (p *Publisher) Publish(e api.Event) { p.hub.Publish(e) }

// Subscribe returns live events until ctx ends or cancel is called.
func (p *Publisher) Subscribe(ctx context.Context) (<-chan api.Event, func()) {
	return p.hub.Subscribe(ctx)
}

// API is the API form of a spool event.
func API(e spool.Event) api.Event {
	return api.Event{Seq: e.Seq, Time: e.Time, Job: e.Job, Type: e.Type, State: string(e.State), Reasons: e.Reasons, Message: e.Message,
		Printer: e.Printer, Output: e.Output, Attempt: e.Attempt}
}
