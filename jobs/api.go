package jobs

import (
	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/spool"
)

// API is the API form of a job.
func API(j spool.Job) api.Job {
	return api.Job{
		ID: j.ID, Name: j.Name, Workflow: j.Workflow, Printer: j.Printer,
		State: string(j.State), StateReasons: j.StateReasons, Message: j.Message, Source: j.Source,
		User: j.User, Origin: j.Origin, Metadata: j.Metadata, Copies: j.Copies,
		Pieces: j.Pieces, Pages: j.Pages, Sheets: j.Sheets, SheetsSent: j.SheetsSent, Attempts: j.Attempts, Priority: j.Priority,
		Warnings: j.Warnings, Created: j.Created, Updated: j.Updated, Compacted: j.Compacted,
	}
}

// APIPiece is the API form of a piece.
func APIPiece(p spool.Piece) api.Piece {
	return api.Piece{Seq: p.Seq, Name: p.Name, FirstPage: p.FirstPage, Pages: p.Pages, Sheets: p.Sheets, Meta: p.Meta.Map(), Plan: p.Placement, Channel: p.Channel}
}

// APIOutputs is the API form of a job's outputs.
func APIOutputs(j spool.Job) []api.Output {
	out := make([]api.Output, 0, len(j.Outputs))
	for _, o := range j.Outputs {
		out = append(out, APIOutput(j, o))
	}
	return out
}

// APIOutput is the API form of output o of job j.
func APIOutput(j spool.Job, o spool.Output) api.Output {
	a := api.Output{
		Name: o.Name, Pieces: o.Pieces, Sheets: o.Sheets, Target: Target(j, o), Printer: o.Printer,
		Confirmed: o.Confirmed, Sent: o.Sent, Attempts: o.Attempts, Reprint: o.Reprint,
	}
	if len(o.Seqs) > 0 {
		a.FirstSeq, a.LastSeq = o.Seqs[0], o.Seqs[len(o.Seqs)-1]
	}
	return a
}

// APILoop is the API form of a run's closed-loop record.
func APILoop(l *spool.Loop) *api.Loop {
	if l == nil {
		return nil
	}
	return &api.Loop{Line: l.Line, State: l.State, Reason: l.Reason, Alarms: l.Alarms, Acknowledged: l.Acknowledged, Reprints: l.Reprints, Closed: l.Closed}
}
