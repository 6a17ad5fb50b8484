package testpeer

import (
	"syscall"
)

// Kill ends the printer and the print command it runs with SIGKILL at
// once, as a power loss or a crash would: the job it was printing stops
// where it is and the printer forgets every job. Start it again with
// Restart. Kill is safe to call on a stopped printer.
func (p *IPPPrinter) Kill() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.proc == nil {
		return
	}
	_ = syscall.Kill(-p.proc.cmd.Process.Pid, syscall.SIGKILL)
	<-p.proc.done
	p.proc = nil
}
