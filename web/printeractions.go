package web

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/audit"
	"github.com/omsd/omsd/users"
)

// printerActions are the operator's printer actions and what each does.
var printerActions = map[string]func(p api.Printer) string{
	api.PrinterPause: func(p api.Printer) string {
		return fmt.Sprintf("Pause printer %s: %s and nothing more is sent to it until resumed; %s (%s) wait for it.", p.Name, sendingWords(p), unit(p.Queued, "job"), unit(p.QueuedSheets, "sheet"))
	},
	api.PrinterResume: func(p api.Printer) string {
		return fmt.Sprintf("Resume printer %s: its queue of %s (%s) is sent again.", p.Name, unit(p.Queued, "job"), unit(p.QueuedSheets, "sheet"))
	},
	api.PrinterDisable: func(p api.Printer) string {
		return fmt.Sprintf("Disable printer %s: it takes no new work; in a pool, its queued work (%s) goes to the other members.", p.Name, unit(p.QueuedSheets, "sheet"))
	},
	api.PrinterEnable: func(p api.Printer) string {
		return fmt.Sprintf("Enable printer %s: it takes new work again.", p.Name)
	},
	api.PrinterDrain: func(p api.Printer) string {
		return fmt.Sprintf("Drain printer %s: it finishes what is queued and being sent (%s), then pauses.", p.Name, unit(p.QueuedSheets, "sheet"))
	},
}

func sendingWords(p api.Printer) string {
	if p.Sending == "" {
		return "it is sending nothing now"
	}
	return "what it is sending (" + p.Sending + ") finishes"
}

func (c *Console) printerAction(w http.ResponseWriter, r *http.Request, se *session) (api.Printer, string, bool) {
	name, action := r.PathValue("name"), r.PathValue("action")
	words, known := printerActions[action]
	if !known {
		c.errorPage(w, r, se, http.StatusNotFound, fmt.Sprintf("There is no printer action %q.", action), "Use the buttons of the printers page.")
		return api.Printer{}, "", false
	}
	if !c.allowed(w, r, se, users.Operator, "printer."+action, "printer "+name) {
		return api.Printer{}, "", false
	}
	ps, err := c.b.Printers(r.Context())
	if err != nil {
		c.backendError(w, r, se, err)
		return api.Printer{}, "", false
	}
	i := slices.IndexFunc(ps, func(p api.Printer) bool { return p.Name == name })
	if i < 0 {
		c.errorPage(w, r, se, http.StatusNotFound, fmt.Sprintf("There is no printer %q.", name), "Pick one from the printers page.")
		return api.Printer{}, "", false
	}
	return ps[i], words(ps[i]), true
}

func (c *Console) confirmPrinter(w http.ResponseWriter, r *http.Request, se *session) {
	p, what, ok := c.printerAction(w, r, se)
	if !ok {
		return
	}
	c.render(w, r, http.StatusOK, "confirm", se, confirmData{Action: actionWords("printer."+r.PathValue("action")) + " " + p.Name,
		Consequence: what, Post: r.URL.Path, Back: "/printers"})
}

func (c *Console) doPrinter(w http.ResponseWriter, r *http.Request, se *session) {
	p, what, ok := c.printerAction(w, r, se)
	if !ok {
		return
	}
	action := r.PathValue("action")
	got, err := c.b.PrinterAction(r.Context(), p.Name, action)
	e := audit.Entry{User: se.user, Role: string(se.role), Peer: r.RemoteAddr, Action: "printer." + action, Target: "printer " + p.Name, Detail: what}
	if err != nil {
		e.Result = err.Error()
		c.record(e)
		c.backendError(w, r, se, err)
		return
	}
	c.record(e)
	c.sessions.setFlash(se, fmt.Sprintf("Printer %s: %s.", got.Name, operatorState(got)))
	http.Redirect(w, r, "/printers", http.StatusSeeOther)
}

// operatorState is a printer's state as the operator set it.
func operatorState(p api.Printer) string {
	switch {
	case p.Stopped:
		return "stopped"
	case p.Draining:
		return "draining"
	case p.Paused:
		return "paused"
	case p.Disabled:
		return "disabled"
	}
	return "running"
}
