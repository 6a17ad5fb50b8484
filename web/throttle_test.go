package web

import (
	"fmt"
	"testing"
	"time"
)

// TestThrottleStaysBounded: failures from ever new keys keep at most
// maxTracked of them; old ones make room.
func TestThrottleStaysBounded(t *testing.T) {
	clk := &clock{t: time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)}
	th := newThrottle(clk.now)
	for i := range 2 * maxTracked {
		th.fail(fmt.Sprint("addr:", i))
	}
	if n := len(th.fails); n > maxTracked {
		t.Errorf("%d keys kept; want at most %d", n, maxTracked)
	}
	clk.add(failureWindow + time.Second)
	th.fail("addr:new")
	if _, ok := th.fails["addr:new"]; !ok || len(th.fails) > maxTracked {
		t.Errorf("after the window a new key is not kept (%d keys)", len(th.fails))
	}
}
