// Package heappeak measures the highest live heap of a stretch of work, for
// benchmarks and memory tests.
package heappeak

import (
	"runtime/metrics"
	"time"
)

// Start samples the live heap every millisecond until the returned function
// is called, which returns the highest figure seen, in bytes.
func Start() func() uint64 {
	done, result := make(chan struct{}), make(chan uint64)
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-done:
				result <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 { close(done); return <-result }
}
