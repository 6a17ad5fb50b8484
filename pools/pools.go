// Package pools is the rule that chooses the member of a printer pool that
// prints an output: one that can print it (its declared capabilities, else
// what the device said), that is available, and that has the fewest sheets
// queued, the first in the pool's order on a tie. The daemon's queues and
// the one-shot `omsd process` both choose by it, and cut outputs into
// chunks the same way.
package pools

import (
	"slices"
	"strings"

	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/drivers"
)

// Needs is what an output asks of a printer.
type Needs struct {
	Format string // MIME type
	Duplex bool
	Color  bool
	Media  string
}

// NeedsOf is what the outputs of workflow wf in the MIME type format need.
func NeedsOf(wf config.Workflow, format string) Needs {
	return Needs{Format: format, Duplex: wf.Duplex, Color: wf.Routing.Color, Media: wf.Routing.Media}
}

func (n Needs) String() string {
	s := []string{n.Format}
	if n.Duplex {
		s = append(s, "duplex")
	}
	if n.Color {
		s = append(s, "colour")
	}
	if n.Media != "" {
		s = append(s, n.Media)
	}
	return strings.Join(s, ", ")
}

// CanPrint reports whether a printer that declares decl, and whose device
// answered asked (nil: not asked, or it could not tell), can print what n
// needs. A declared capability wins over the device's answer; what neither
// tells is not checked.
func CanPrint(decl config.Capabilities, asked *drivers.Capabilities, n Needs) bool {
	known := asked != nil
	if asked == nil {
		asked = &drivers.Capabilities{}
	}
	formats := decl.Formats
	if len(formats) == 0 {
		formats = asked.Formats
	}
	if n.Format != "" && len(formats) > 0 && !slices.Contains(formats, n.Format) && !slices.Contains(formats, "application/octet-stream") {
		return false
	}
	if n.Duplex && !flag(decl.Duplex, asked.Duplex, known) {
		return false
	}
	if n.Color && !flag(decl.Color, asked.Color, known) {
		return false
	}
	media := decl.Media
	if len(media) == 0 {
		media = asked.Media
	}
	return n.Media == "" || len(media) == 0 || slices.Contains(media, n.Media)
}

// flag is a declared capability, else the device's answer, else true
// (unknown is not checked).
func flag(declared *bool, asked, known bool) bool {
	switch {
	case declared != nil:
		return *declared
	case known:
		return asked
	}
	return true
}

// DeviceAvailable reports whether a device whose last status read was st
// (or failed with err) may take pool work, and if not, why.
func DeviceAvailable(kind string, st drivers.Status, err error) (bool, string) {
	switch {
	case err != nil:
		return false, "unreachable"
	case st.State == "stopped":
		return false, "device stopped"
	case st.State != "" && st.State != "unknown" && !st.AcceptingJobs && kind == "ipp":
		return false, "device not accepting jobs"
	}
	return true, ""
}

// Member is one pool member as the choice sees it.
type Member struct {
	Name      string
	CanPrint  bool // by CanPrint
	Available bool // may take pool work now
	Load      int  // sheets queued on it
}

// Pick returns the member that can print and is available with the fewest
// sheets queued, the first in order on a tie; "" if there is none.
func Pick(members []Member) string {
	best := -1
	for i, m := range members {
		if !m.CanPrint || !m.Available {
			continue
		}
		if best < 0 || m.Load < members[best].Load {
			best = i
		}
	}
	if best < 0 {
		return ""
	}
	return members[best].Name
}
