package daemon

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
)

// TestServicesStopInReverseOrder: a service's loops outlive the daemon's
// context until the service is stopped, so services stop one at a time,
// the last started first; a loop's failure is reported, its end by
// cancellation is not.
func TestServicesStopInReverseOrder(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	var stopped []string
	waiter := func(name string) func(context.Context) error {
		return func(ctx context.Context) error {
			<-ctx.Done()
			mu.Lock()
			stopped = append(stopped, name)
			mu.Unlock()
			return ctx.Err()
		}
	}
	boom := errors.New("boom")
	failures := make(chan error, 4)
	fail := func(err error) { failures <- err }
	var groups []*group
	for _, name := range []string{"queues", "loop", "analysis", "intake"} {
		groups = append(groups, start(ctx, []func(context.Context) error{waiter(name)}, fail))
	}
	broken := start(ctx, []func(context.Context) error{func(context.Context) error { return boom }}, fail)
	if err := <-failures; !errors.Is(err, boom) {
		t.Fatalf("failure %v; want %v", err, boom)
	}
	broken.stop()
	cancel()
	for i := len(groups) - 1; i >= 0; i-- {
		groups[i].stop()
	}
	if want := []string{"intake", "analysis", "loop", "queues"}; !slices.Equal(stopped, want) {
		t.Errorf("stopped %v; want %v", stopped, want)
	}
	select {
	case err := <-failures:
		t.Errorf("a loop ended by its stop was reported as failed: %v", err)
	default:
	}
}
