package usbvm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Boot runs the guest under QEMU (TCG, no KVM needed) until it powers off
// or QEMU has used the image's timeout of CPU time, and returns the serial
// console output. The bound is CPU time, not wall time: on a loaded machine
// the emulated guest gets less of the CPU and takes longer, not more work;
// ctx bounds the wall time. A guest that times out, reports FailMarker or
// ends without EndMarker gives an error wrapping ErrGuest, with the console
// output returned too.
func (img *Image) Boot(ctx context.Context) (string, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	cmd := exec.CommandContext(ctx, "qemu-system-x86_64", qemuArgs(img.Kernel, img.Initrd)...)
	var console syncBuffer
	cmd.Stdout, cmd.Stderr = &console, &console
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("%w: qemu-system-x86_64: %w", ErrGuest, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	err := watchCPU(cmd.Process.Pid, img.timeout, done, cancel)
	out := strings.ReplaceAll(console.String(), "\r\n", "\n")
	img.logf("usbvm: guest ran %s", time.Since(start).Round(100*time.Millisecond))
	switch cause := context.Cause(ctx); {
	case errors.Is(cause, errCPUSpent):
		return out, fmt.Errorf("%w: no power-off within %s of QEMU's CPU time", ErrGuest, img.timeout)
	case err != nil && ctx.Err() != nil:
		return out, fmt.Errorf("usbvm: guest stopped: %w", cause)
	case err != nil:
		return out, fmt.Errorf("%w: qemu-system-x86_64: %w", ErrGuest, err)
	}
	return out, checkConsole(out)
}

// errCPUSpent ends a guest that used up its CPU time.
var errCPUSpent = errors.New("usbvm: CPU time spent")

// watchCPU waits for QEMU (pid) to exit, reported on done, and stops it
// through stop once it has used limit of CPU time.
func watchCPU(pid int, limit time.Duration, done <-chan error, stop context.CancelCauseFunc) error {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			return err
		case <-tick.C:
			if used, err := cpuTime(pid); err == nil && used > limit {
				stop(errCPUSpent)
			}
		}
	}
}

// cpuTime is the user and system CPU time process pid has used, from
// /proc/PID/stat (fields 14 and 15, in the kernel's USER_HZ of 100 ticks a
// second).
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) is in parentheses and may hold spaces.
	i := bytes.LastIndexByte(b, ')')
	f := strings.Fields(string(b[i+1:]))
	if i < 0 || len(f) < 13 {
		return 0, fmt.Errorf("usbvm: /proc/%d/stat: unexpected format", pid)
	}
	var ticks int64
	for _, s := range f[11:13] { // utime, stime: fields 14 and 15
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("usbvm: /proc/%d/stat: %w", pid, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * (time.Second / 100), nil
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
