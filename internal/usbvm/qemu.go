package usbvm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// Boot runs the guest under QEMU (TCG, no KVM needed) until it powers off
// or the image's timeout passes, and returns the serial console output.
// A guest that times out, reports FailMarker or ends without EndMarker
// gives an error wrapping ErrGuest, with the console output returned too.
func (img *Image) Boot(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, img.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "qemu-system-x86_64", qemuArgs(img.Kernel, img.Initrd)...)
	var console syncBuffer
	cmd.Stdout, cmd.Stderr = &console, &console
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	err := cmd.Run()
	out := strings.ReplaceAll(console.String(), "\r\n", "\n")
	img.logf("usbvm: guest ran %s", time.Since(start).Round(100*time.Millisecond))
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return out, fmt.Errorf("%w: no power-off within %s", ErrGuest, img.timeout)
	case err != nil && ctx.Err() != nil:
		return out, fmt.Errorf("usbvm: guest stopped: %w", ctx.Err())
	case err != nil:
		return out, fmt.Errorf("%w: qemu-system-x86_64: %w", ErrGuest, err)
	}
	return out, checkConsole(out)
}

// qemuArgs boots kernel and initrd with the console on the serial port,
// no network and no reboot: init's poweroff (or a panic) ends QEMU.
func qemuArgs(kernel, initrd string) []string {
	return []string{
		"-accel", "tcg", "-m", "512", "-smp", "1",
		"-kernel", kernel, "-initrd", initrd,
		"-append", "console=ttyS0 quiet panic=-1",
		"-nographic", "-no-reboot", "-nic", "none",
	}
}

// checkConsole reports a guest whose setup failed or that did not reach
// its end.
func checkConsole(out string) error {
	for line := range strings.SplitSeq(out, "\n") {
		if strings.HasPrefix(line, FailMarker) {
			return fmt.Errorf("%w: %s", ErrGuest, strings.TrimSpace(line))
		}
	}
	if !strings.Contains(out, EndMarker) {
		return fmt.Errorf("%w: the guest powered off without %s", ErrGuest, EndMarker)
	}
	return nil
}

// syncBuffer is a bytes.Buffer safe for QEMU's two output streams.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
