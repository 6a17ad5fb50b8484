package events

import (
	"context"
	"sync"

	"github.com/omsd/omsd/api"
)

// Hub fans live events out to API subscribers without ever blocking the
// services: a subscriber that falls behind loses progress events first, and
// the oldest buffered events once its buffer is full.
type Hub struct {
	mu   sync.Mutex
	subs map[chan api.Event]struct{}
}

// NewHub returns a hub without subscribers.
func NewHub() *Hub { return &Hub{subs: map[chan api.Event]struct{}{}} }

// Subscribe returns a channel of the events published from now on, until
// ctx ends or cancel is called.
func (h *Hub) Subscribe(ctx context.Context) (<-chan api.Event, func()) {
	ch := make(chan api.Event, 256)
	h.mu.Lock()
	h.subs[ch] = struct{}{}
	h.mu.Unlock()
	var once sync.Once
	cancel := func() {
		once.Do(func() {
			h.mu.Lock()
			delete(h.subs, ch)
			h.mu.Unlock()
			close(ch)
		})
	}
	go func() {
		<-ctx.Done()
		cancel()
	}()
	return ch, cancel
}

// Publish sends e to every subscriber.
func (h *Hub) Publish(e api.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		if e.Type == "progress" {
			select {
			case ch <- e:
			default:
			}
			continue
		}
		select {
		case ch <- e:
		default:
			// The subscriber is far behind; drop the oldest to make room.
			select {
			case <-ch:
			default:
			}
			select {
			case ch <- e:
			default:
			}
		}
	}
}
