// Package receiver is what omsd's network receivers (LPD, IPP) share: the
// guard in front of their listener (allow-list, connection limit, the log
// and count of every refusal), and the job a queue makes of a received
// document. The receivers hand each document to a Submitter (intake's
// Submit), which acknowledges only what is durable in the spool.
package receiver

import (
	"context"
	"io"
	"maps"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
)

// Submitter takes a received document into the spool; it returns once the
// document and its job are durable, and leaves nothing when it fails.
type Submitter interface {
	Submit(ctx context.Context, opt api.SubmitOptions, body io.Reader) (api.Job, error)
}

// Sent is what a sender said about a job; empty fields take the queue's
// defaults.
type Sent struct {
	Name     string
	User     string
	Metadata map[string]string
}

// MaxCopies is the most copies of a job a sender may ask for.
const MaxCopies = 999

// Options are the submit options of a job sent to queue q by protocol
// source ("lpd", "ipp") from origin: the sender's fields, else the queue's.
func Options(q config.ReceiverQueue, source, origin string, sent Sent) api.SubmitOptions {
	opt := api.SubmitOptions{
		Name: sent.Name, Workflow: q.Workflow, Hold: q.Hold,
		Source: source, User: sent.User, Origin: origin,
	}
	if opt.Name == "" {
		opt.Name = q.JobName
	}
	if opt.User == "" {
		opt.User = q.User
	}
	if len(q.Metadata)+len(sent.Metadata) > 0 {
		opt.Metadata = maps.Clone(q.Metadata)
		if opt.Metadata == nil {
			opt.Metadata = map[string]string{}
		}
		maps.Copy(opt.Metadata, sent.Metadata)
	}
	return opt
}
