package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/audit"
	"github.com/omsd/omsd/users"
)

// errInput is a form value the operator must correct.
var errInput = errors.New("input")

func inputErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errInput}, args...)...)
}

// jobAction is one action on a job: the role it needs, the form fields
// it carries from the confirmation to the act, what it will do in words,
// and the doing.
type jobAction struct {
	need   users.Role
	fields []string
	// plan checks the form and says what the action will do.
	plan func(j api.JobDetail, f url.Values) (string, error)
	// do acts; it returns what happened and the page to go to next.
	do func(c *Console, r *http.Request, j api.JobDetail, f url.Values) (done, next string, err error)
}

var jobActions = map[string]jobAction{
	api.ActionHold: {need: users.Operator,
		plan: func(j api.JobDetail, _ url.Values) (string, error) {
			return fmt.Sprintf("Hold job %d (%s): nothing more of it is sent until it is released; %s of %s are sent so far.", j.ID, j.Name, thousands(j.SheetsSent), unit(j.Sheets, "sheet")), nil
		},
		do: simple(func(c *Console, r *http.Request, id int64) (api.Job, error) { return c.b.Hold(r.Context(), id) }, "held"),
	},
	api.ActionRelease: {need: users.Operator,
		plan: func(j api.JobDetail, _ url.Values) (string, error) {
			return fmt.Sprintf("Release job %d (%s): it goes back to its printer's queue (%s, %s still to send).", j.ID, j.Name, j.Printer, unit(j.Sheets-j.SheetsSent, "sheet")), nil
		},
		do: simple(func(c *Console, r *http.Request, id int64) (api.Job, error) { return c.b.Release(r.Context(), id) }, "released"),
	},
	api.ActionCancel: {need: users.Operator,
		plan: func(j api.JobDetail, _ url.Values) (string, error) {
			return fmt.Sprintf("Cancel job %d (%s): its %s not yet sent will not be printed. This cannot be undone; a reprint makes a new job.", j.ID, j.Name, unit(j.Sheets-j.SheetsSent, "sheet")), nil
		},
		do: simple(func(c *Console, r *http.Request, id int64) (api.Job, error) { return c.b.Cancel(r.Context(), id) }, "canceled"),
	},
	api.ActionPriority: {need: users.Operator, fields: []string{"priority"},
		plan: func(j api.JobDetail, f url.Values) (string, error) {
			p, err := priorityOf(f)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("Set the priority of job %d (%s) from %d to %d: higher goes first in its printer's queue.", j.ID, j.Name, j.Priority, p), nil
		},
		do: func(c *Console, r *http.Request, j api.JobDetail, f url.Values) (string, string, error) {
			p, _ := priorityOf(f)
			_, err := c.b.Priority(r.Context(), j.ID, api.JobPriority{Priority: p})
			return fmt.Sprintf("Job %d now has priority %d.", j.ID, p), jobURL(j.ID), err
		},
	},
	api.ActionMove: {need: users.Operator, fields: []string{"target"},
		plan: func(j api.JobDetail, f url.Values) (string, error) {
			t := f.Get("target")
			if t == "" {
				return "", inputErr("choose the printer or pool to move the job to")
			}
			return fmt.Sprintf("Move the unsent outputs of job %d (%s, %s to send) from %s to %s.", j.ID, j.Name, unit(j.Sheets-j.SheetsSent, "sheet"), j.Printer, t), nil
		},
		do: func(c *Console, r *http.Request, j api.JobDetail, f url.Values) (string, string, error) {
			_, err := c.b.Move(r.Context(), j.ID, api.JobMove{Target: f.Get("target")})
			return fmt.Sprintf("Job %d moved to %s.", j.ID, f.Get("target")), jobURL(j.ID), err
		},
	},
	api.ActionRestart: {need: users.Operator, fields: []string{"from", "pieces", "target"},
		plan: func(j api.JobDetail, f url.Values) (string, error) {
			r, err := restartOf(j, f)
			if err != nil {
				return "", err
			}
			seqs := r.Pieces
			what := "pieces " + f.Get("pieces")
			if r.FromPiece > 0 {
				seqs, what = nil, fmt.Sprintf("piece %d on", r.FromPiece)
				for _, p := range j.PiecesDetail {
					if p.Seq >= r.FromPiece {
						seqs = append(seqs, p.Seq)
					}
				}
			}
			n, sheets := countSheets(j, seqs)
			return fmt.Sprintf("Restart job %d (%s), %s: print %s, %s, again to %s.", j.ID, j.Name, what, unit(n, "piece"), unit(sheets, "sheet"), targetOr(f, j)), nil
		},
		do: func(c *Console, r *http.Request, j api.JobDetail, f url.Values) (string, string, error) {
			req, _ := restartOf(j, f)
			res, err := c.b.Restart(r.Context(), j.ID, req)
			return fmt.Sprintf("Job %d restarts: %d output(s) queued.", j.ID, len(res.Outputs)), jobURL(j.ID), err
		},
	},
	api.ActionReprint: {need: users.Operator, fields: []string{"pieces", "target"},
		plan: func(j api.JobDetail, f url.Values) (string, error) {
			seqs, err := parsePieces(f.Get("pieces"), maxSeq(j))
			if err != nil {
				return "", err
			}
			n, sheets := countSheets(j, seqs)
			return fmt.Sprintf("Reprint %s, %s, to %s as a new reprint job of job %d (%s). Pieces that share an envelope with these are reprinted with them.", unit(n, "piece"), unit(sheets, "sheet"), targetOr(f, j), j.ID, j.Name), nil
		},
		do: func(c *Console, r *http.Request, j api.JobDetail, f url.Values) (string, string, error) {
			seqs, _ := parsePieces(f.Get("pieces"), maxSeq(j))
			res, err := c.b.Reprint(r.Context(), j.ID, api.ReprintRequest{Pieces: seqs, Target: f.Get("target")})
			if err != nil {
				return "", "", err
			}
			return fmt.Sprintf("Reprint job %d made: %s of job %d.", res.Reprint.ID, unit(res.Reprint.Pieces, "piece"), j.ID), jobURL(res.Reprint.ID), nil
		},
	},
	api.ActionAck: {need: users.Admin, fields: []string{"reason"},
		plan: func(j api.JobDetail, f url.Values) (string, error) {
			reason := strings.TrimSpace(f.Get("reason"))
			if reason == "" {
				return "", inputErr("say how the alarm was dealt with (e.g. \"second envelope of piece 4 pulled at the stacker\")")
			}
			if len(reason) > 500 {
				return "", inputErr("keep the reason under 500 characters")
			}
			var alarms []string
			if j.Loop != nil {
				alarms = j.Loop.Alarms
			}
			return fmt.Sprintf("Acknowledge %s of job %d (%s) — %s — with the reason %q. The job's hold for them ends.", unit(len(alarms), "alarm"), j.ID, j.Name, strings.Join(alarms, "; "), reason), nil
		},
		do: func(c *Console, r *http.Request, j api.JobDetail, f url.Values) (string, string, error) {
			se, _ := c.sessions.get(r)
			_, err := c.b.Ack(r.Context(), j.ID, api.AlarmAck{Reason: strings.TrimSpace(f.Get("reason")), By: se.user})
			return fmt.Sprintf("The alarms of job %d are acknowledged.", j.ID), jobURL(j.ID), err
		},
	},
}

// simple is the doing of an action without a form.
func simple(fn func(c *Console, r *http.Request, id int64) (api.Job, error), verb string) func(*Console, *http.Request, api.JobDetail, url.Values) (string, string, error) {
	return func(c *Console, r *http.Request, j api.JobDetail, _ url.Values) (string, string, error) {
		got, err := fn(c, r, j.ID)
		return fmt.Sprintf("Job %d %s; it is %s now.", j.ID, verb, got.State), jobURL(j.ID), err
	}
}

func jobURL(id int64) string { return fmt.Sprintf("/jobs/%d", id) }

// confirmData is the confirmation page's.
type confirmData struct {
	Action      string
	Consequence string
	Post        string
	Fields      []field
	Back        string
}

type field struct{ Name, Value string }

func (d confirmData) title() string { return "Confirm: " + d.Action }

// confirmJob shows what an action on a job will do, with the button that
// does it.
func (c *Console) confirmJob(w http.ResponseWriter, r *http.Request, se *session) {
	j, a, name, ok := c.jobAction(w, r, se)
	if !ok {
		return
	}
	what, err := a.plan(j, r.URL.Query())
	if err != nil {
		c.inputError(w, r, se, err, jobURL(j.ID))
		return
	}
	d := confirmData{Action: actionWords("job." + name), Consequence: what, Post: r.URL.Path, Back: jobURL(j.ID)}
	for _, f := range a.fields {
		d.Fields = append(d.Fields, field{f, r.URL.Query().Get(f)})
	}
	c.render(w, r, http.StatusOK, "confirm", se, d)
}

// doJob does a confirmed action on a job and records it.
func (c *Console) doJob(w http.ResponseWriter, r *http.Request, se *session) {
	j, a, name, ok := c.jobAction(w, r, se)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		c.errorPage(w, r, se, http.StatusBadRequest, "The form could not be read.", "Go back and try again.")
		return
	}
	what, err := a.plan(j, r.PostForm)
	if err != nil {
		c.inputError(w, r, se, err, jobURL(j.ID))
		return
	}
	done, next, err := a.do(c, r, j, r.PostForm)
	e := audit.Entry{User: se.user, Role: string(se.role), Peer: r.RemoteAddr, Action: "job." + name, Target: fmt.Sprintf("job %d", j.ID), Detail: what}
	if err != nil {
		e.Result = err.Error()
		c.record(e)
		c.backendError(w, r, se, err)
		return
	}
	e.Detail = what + " → " + done
	c.record(e)
	c.sessions.setFlash(se, done)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// jobAction reads the job and the action of the path and checks the role.
func (c *Console) jobAction(w http.ResponseWriter, r *http.Request, se *session) (api.JobDetail, jobAction, string, bool) {
	name := r.PathValue("action")
	a, known := jobActions[name]
	id, ok := c.pathID(w, r, se)
	if !ok {
		return api.JobDetail{}, a, name, false
	}
	if !known {
		c.errorPage(w, r, se, http.StatusNotFound, fmt.Sprintf("There is no job action %q.", name), "Use the buttons of the job's page.")
		return api.JobDetail{}, a, name, false
	}
	if !c.allowed(w, r, se, a.need, "job."+name, fmt.Sprintf("job %d", id)) {
		return api.JobDetail{}, a, name, false
	}
	j, err := c.b.Job(r.Context(), id)
	if err != nil {
		c.backendError(w, r, se, err)
		return j, a, name, false
	}
	return j, a, name, true
}

// inputError answers a form value to correct, or a backend error.
func (c *Console) inputError(w http.ResponseWriter, r *http.Request, se *session, err error, back string) {
	if errors.Is(err, errInput) {
		c.errorPage(w, r, se, http.StatusBadRequest, strings.TrimPrefix(err.Error(), errInput.Error()+": "), "Go back ("+back+") and correct it.")
		return
	}
	c.backendError(w, r, se, err)
}

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

// actionWords is an audit action in words.
func actionWords(action string) string {
	words := map[string]string{
		"job.hold": "hold a job", "job.release": "release a job", "job.cancel": "cancel a job",
		"job.priority": "change a job's priority", "job.move": "move a job", "job.restart": "restart a job",
		"job.reprint": "reprint pieces", "job.ack": "acknowledge alarms",
		"printer.pause": "pause a printer", "printer.resume": "resume a printer", "printer.enable": "enable a printer",
		"printer.disable": "disable a printer", "printer.drain": "drain a printer",
	}
	if s, ok := words[action]; ok {
		return s
	}
	return action
}

// parsePieces reads "5,7-9" into piece numbers, each 1 to last.
func parsePieces(s string, last int) ([]int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, inputErr("name the pieces to reprint, e.g. 5,7-9")
	}
	var out []int
	for part := range strings.SplitSeq(s, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(part), "-")
		a, err1 := strconv.Atoi(strings.TrimSpace(lo))
		b := a
		var err2 error
		if isRange {
			b, err2 = strconv.Atoi(strings.TrimSpace(hi))
		}
		if err1 != nil || err2 != nil || a < 1 || b < a || b > last {
			return nil, inputErr("%q is not a piece or range of pieces 1 to %d (write e.g. 5,7-9)", part, last)
		}
		for n := a; n <= b; n++ {
			out = append(out, n)
		}
		if len(out) > last {
			return nil, inputErr("the pieces %q name more pieces than the job has (%d)", s, last)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// maxSeq is the job's last piece number.
func maxSeq(j api.JobDetail) int {
	m := 0
	for _, p := range j.PiecesDetail {
		m = max(m, p.Seq)
	}
	return m
}

// countSheets counts the pieces of seqs the job has and their sheets.
func countSheets(j api.JobDetail, seqs []int) (pieces, sheets int) {
	for _, p := range j.PiecesDetail {
		if _, found := slices.BinarySearch(seqs, p.Seq); found {
			pieces++
			sheets += p.Sheets
		}
	}
	return pieces, sheets
}

// targetOr is the form's target, else the job's printer.
func targetOr(f url.Values, j api.JobDetail) string {
	if t := f.Get("target"); t != "" {
		return t
	}
	return j.Printer
}

// restartOf reads a restart form: from a piece on, or the pieces named.
func restartOf(j api.JobDetail, f url.Values) (api.JobRestart, error) {
	r := api.JobRestart{Target: f.Get("target")}
	if s := strings.TrimSpace(f.Get("pieces")); s != "" {
		seqs, err := parsePieces(s, maxSeq(j))
		r.Pieces = seqs
		return r, err
	}
	from, err := strconv.Atoi(strings.TrimSpace(f.Get("from")))
	if err != nil || from <= 0 || from > maxSeq(j) {
		return r, inputErr("give the piece to restart from, 1 to %d, or the pieces to restart (e.g. 5,7-9)", maxSeq(j))
	}
	r.FromPiece = from
	return r, nil
}

func priorityOf(f url.Values) (int, error) {
	p, err := strconv.Atoi(strings.TrimSpace(f.Get("priority")))
	if err != nil || p < -1000 || p > 1000 {
		return 0, inputErr("give the priority as a whole number from -1000 to 1000 (0 is the default; higher goes first)")
	}
	return p, nil
}
