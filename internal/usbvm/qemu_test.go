package usbvm

import (
	"context"
	"errors"
	"os/exec"
	"testing"
	"time"
)

// startWatched starts argv under watchCPU with limit and returns what
// watchCPU returned and the cause the process was stopped with.
func startWatched(t *testing.T, limit time.Duration, argv ...string) (error, error) {
	t.Helper()
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	err := watchCPU(cmd.Process.Pid, limit, done, cancel)
	return err, context.Cause(ctx)
}

// TestWatchCPUStopsABusyGuest: a process that spins is stopped once it has
// used the limit of CPU time.
func TestWatchCPUStopsABusyGuest(t *testing.T) {
	err, cause := startWatched(t, 300*time.Millisecond, "sh", "-c", "while :; do :; done")
	if err == nil || !errors.Is(cause, errCPUSpent) {
		t.Fatalf("a spinning process ended with %v (cause %v), want stopped for its CPU time", err, cause)
	}
}

// TestWatchCPUWaitsForAnIdleGuest: a process that uses little CPU is not
// stopped however long it takes in wall time (a guest on a loaded machine).
func TestWatchCPUWaitsForAnIdleGuest(t *testing.T) {
	err, cause := startWatched(t, 300*time.Millisecond, "sleep", "2.5")
	if err != nil || cause != nil {
		t.Fatalf("an idle process ended with %v (cause %v), want its own exit", err, cause)
	}
}
