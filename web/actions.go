package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
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

// actionWords is an audit action in words.
func actionWords(action string) string {
	words := map[string]string{
		"job.hold": "hold a job", "job.release": "release a job", "job.cancel": "cancel a job",
		"job.priority": "change a job's priority", "job.move": "move a job", "job.restart": "restart a job",
		"job.reprint": "reprint pieces", "job.ack": "acknowledge alarms",
		"printer.pause": "pause a printer", "printer.resume": "resume a printer", "printer.enable": "enable a printer",
		"printer.disable": "disable a printer", "printer.drain": "drain a printer",
		"archive.reprint": "reprint an archived piece", "archive.get": "retrieve an archived piece",
	}
	if s, ok := words[action]; ok {
		return s
	}
	return action
}
