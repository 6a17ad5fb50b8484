package lpd

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/intake/receiver"
	"github.com/omsd/omsd/internal/failpoint"
)

// job is the job a 02 command is receiving: its control file once it came,
// and the data files that wait for the rest of the job.
type job struct {
	ctl    *Control
	staged map[string]string // data file name -> staged file
	sums   map[string]string // data file name -> its SHA-256, hex
}

// started reports whether any part of the job arrived.
func (j *job) started() bool { return j.ctl != nil || len(j.staged) > 0 }

// discard removes the staged files and forgets the job.
func (j *job) discard() {
	for _, p := range j.staged {
		os.Remove(p)
	}
	*j = job{}
}

// complete reports whether the control file and every data file it prints
// arrived.
func (j *job) complete() bool {
	if j.ctl == nil {
		return false
	}
	for _, f := range j.ctl.Files {
		if _, ok := j.staged[f.Name]; !ok {
			return false
		}
	}
	return true
}

// direct returns the job's only data file when the next one to arrive can
// go straight to the spool: the control file came first and prints one
// data file alone (one arriving under another name is taken for it).
func (j *job) direct() (DataRef, bool) {
	if j.ctl == nil || len(j.ctl.Files) != 1 || len(j.staged) > 0 {
		return DataRef{}, false
	}
	return j.ctl.Files[0], true
}

// receive serves a 02 command: the subcommands of one or more jobs for
// queue args, until the sender closes the connection.
func (cn *conn) receive(ctx context.Context, args string) {
	name := strings.TrimSpace(args)
	q, ok := cn.s.cfg.ReceiverQueue(name)
	if !ok {
		cn.refuse(receiver.RefusedQueue, fmt.Sprintf("queue %q is not configured and receivers.default_queue is not set", name))
		cn.reply(replyNoQueue, fmt.Sprintf("omsd has no queue %q", name))
		return
	}
	if cn.reply(replyOK, "") != nil {
		return
	}
	cn.log = cn.log.With().Str("queue", q.Name).Logger()
	j := &job{}
	defer j.discard()
	for {
		line, err := cn.readLine()
		if errors.Is(err, io.EOF) {
			if j.started() {
				cn.log.Warn().Int("files", len(j.staged)).Bool("control", j.ctl != nil).
					Msg("the sender closed the connection before the job was complete; nothing of it is kept")
			}
			return
		}
		if err != nil {
			cn.fail(err, "reading a subcommand")
			return
		}
		if len(line) == 0 {
			cn.refuse(receiver.RefusedProtocol, "an empty subcommand")
			cn.reply(replyFail, "empty subcommand")
			return
		}
		var more bool
		switch line[0] {
		case 1:
			if j.started() {
				cn.log.Info().Msg("the sender aborted the job; nothing of it is kept")
			}
			j.discard()
			more = true
		case 2:
			more = cn.controlFile(ctx, q, j, string(line[1:]))
		case 3:
			more = cn.dataFile(ctx, q, j, string(line[1:]))
		default:
			cn.refuse(receiver.RefusedProtocol, fmt.Sprintf("unknown subcommand %#02x", line[0]))
			cn.reply(replyFail, "unknown subcommand")
		}
		if !more {
			return
		}
	}
}

// controlFile receives a control file; it reports whether the connection
// goes on.
func (cn *conn) controlFile(ctx context.Context, q config.ReceiverQueue, j *job, args string) bool {
	n, cfName, stream, err := parseCount(args)
	if err == nil && (stream || n > maxControl) {
		err = fmt.Errorf("%w: control file of length %q (at most %d bytes)", ErrProtocol, args, maxControl)
	}
	if err != nil {
		cn.refuse(receiver.RefusedProtocol, err.Error())
		cn.reply(replyFail, err.Error())
		return false
	}
	if cn.reply(replyOK, "") != nil { // the sender may send the file
		return false
	}
	b, err := io.ReadAll(&fileBody{r: cn.r, left: n})
	if err != nil {
		cn.fail(err, "reading the control file")
		return false
	}
	ctl, err := ParseControl(b)
	if err != nil {
		cn.refuse(receiver.RefusedProtocol, err.Error())
		cn.reply(replyFail, err.Error())
		return false
	}
	if len(ctl.Files) == 0 {
		cn.log.Warn().Msg("a control file that prints no data file: nothing to do")
	}
	ctl.Name = cfName
	j.ctl = &ctl
	if j.complete() {
		return cn.finish(ctx, q, j)
	}
	return cn.reply(replyOK, "") == nil
}

// dataFile receives a data file; it reports whether the connection goes
// on.
func (cn *conn) dataFile(ctx context.Context, q config.ReceiverQueue, j *job, args string) bool {
	n, name, stream, err := parseCount(args)
	if err != nil {
		cn.refuse(receiver.RefusedProtocol, err.Error())
		cn.reply(replyFail, err.Error())
		return false
	}
	limit := int64(cn.s.lpd.MaxDocument)
	if !stream && n > limit {
		msg := fmt.Sprintf("a data file of %d bytes is above receivers.lpd.max_document (%d bytes)", n, limit)
		cn.refuse(receiver.RefusedTooLarge, msg)
		cn.reply(replyFail, msg)
		return false
	}
	if cn.reply(replyOK, "") != nil { // the sender may send the file
		return false
	}
	failpoint.Hit("lpd-receiving")
	var body io.Reader = &fileBody{r: cn.r, left: n}
	size := n
	if stream {
		body, size = &streamBody{r: cn.r, left: limit}, -1
	}
	if ref, ok := j.direct(); ok {
		return cn.submitOne(ctx, q, j, ref, body, size)
	}
	if j.ctl == nil && stream { // no control file can follow a stream
		return cn.submitOne(ctx, q, j, DataRef{Name: name, Format: 'l', Copies: 1}, body, size)
	}
	path, sum, err := cn.stageFile(body)
	if err != nil {
		cn.bodyFailed(err, "receiving data file "+name)
		return false
	}
	if j.staged == nil {
		j.staged, j.sums = map[string]string{}, map[string]string{}
	}
	j.sums[name] = sum
	if old, ok := j.staged[name]; ok {
		os.Remove(old)
	}
	j.staged[name] = path
	if j.complete() {
		return cn.finish(ctx, q, j)
	}
	return cn.reply(replyOK, "") == nil
}

// ack acknowledges the file that completed a job, whose omsd jobs are
// durable; it reports whether the connection goes on.
func (cn *conn) ack() bool {
	failpoint.Hit("lpd-before-ack")
	err := cn.reply(replyOK, "")
	failpoint.Hit("lpd-acked")
	return err == nil
}

// submitOne takes a job's only data file straight into the spool and
// acknowledges it once it is durable.
func (cn *conn) submitOne(ctx context.Context, q config.ReceiverQueue, j *job, ref DataRef, body io.Reader, size int64) bool {
	ctl := j.ctl
	if ctl == nil {
		ctl = &Control{}
	}
	opt := cn.options(q, ctl, ref, false, size)
	if _, maybe := cn.resent(ctx, []api.SubmitOptions{opt}, false); maybe {
		return cn.submitChecked(ctx, j, ref, opt, body)
	}
	sr := newSummingReader(body, opt.Metadata)
	aj, err := cn.s.submit.Submit(ctx, opt, sr)
	sr.stop()
	if err != nil {
		cn.bodyFailed(err, "receiving data file "+ref.Name)
		return false
	}
	cn.log.Info().Int64("job", aj.ID).Str("file", aj.Name).Str("user", aj.User).Msg("job received")
	*j = job{}
	return cn.ack()
}

// submitChecked takes a job's only data file whose identity matches a job
// stored before: staged and hashed first, it is a job sent again (and
// only acknowledged) when its bytes are the same, else a job of its own.
func (cn *conn) submitChecked(ctx context.Context, j *job, ref DataRef, opt api.SubmitOptions, body io.Reader) bool {
	path, sum, err := cn.stageFile(body)
	if err != nil {
		cn.bodyFailed(err, "receiving data file "+ref.Name)
		return false
	}
	defer os.Remove(path)
	opt.Metadata["lpd_sha256"] = sum
	*j = job{}
	if before, ok := cn.resent(ctx, []api.SubmitOptions{opt}, true); ok {
		cn.log.Warn().Int64("job", before[0].ID).Msg("the job was sent again: omsd stopped after storing it, before its acknowledgement; acknowledged, not taken twice")
		return cn.ack()
	}
	f, err := os.Open(path)
	if err != nil {
		cn.bodyFailed(err, "storing data file "+ref.Name)
		return false
	}
	defer f.Close()
	aj, err := cn.s.submit.Submit(ctx, opt, f)
	if err != nil {
		cn.bodyFailed(err, "storing data file "+ref.Name)
		return false
	}
	cn.log.Info().Int64("job", aj.ID).Str("file", aj.Name).Str("user", aj.User).Msg("job received")
	return cn.ack()
}

// finish takes a complete job's staged data files into the spool, one
// omsd job each, and acknowledges once all are durable. If one cannot be
// stored, those stored before it are canceled: the sender sends the whole
// job again.
func (cn *conn) finish(ctx context.Context, q config.ReceiverQueue, j *job) bool {
	defer j.discard()
	opts := make([]api.SubmitOptions, len(j.ctl.Files))
	for i, ref := range j.ctl.Files {
		size := int64(-1)
		if info, err := os.Stat(j.staged[ref.Name]); err == nil {
			size = info.Size()
		}
		opts[i] = cn.options(q, j.ctl, ref, len(j.ctl.Files) > 1, size)
		opts[i].Metadata["lpd_sha256"] = j.sums[ref.Name]
	}
	if before, ok := cn.resent(ctx, opts, true); ok {
		cn.log.Warn().Int64("job", before[0].ID).Int("jobs", len(before)).Msg("the job was sent again: omsd stopped after storing it, before its acknowledgement; acknowledged, not taken twice")
		return cn.ack()
	}
	var done []api.Job
	for i, ref := range j.ctl.Files {
		aj, err := cn.submitStaged(ctx, j, ref, opts[i])
		if err != nil {
			for _, d := range done {
				if _, cerr := cn.s.jobs.Cancel(context.WithoutCancel(ctx), d.ID); cerr != nil {
					cn.log.Error().Err(cerr).Int64("job", d.ID).Msg("canceling the part of a job that could not be stored whole")
				}
			}
			cn.bodyFailed(err, "storing data file "+ref.Name)
			return false
		}
		done = append(done, aj)
	}
	for _, d := range done {
		cn.log.Info().Int64("job", d.ID).Str("file", d.Name).Str("user", d.User).Msg("job received")
	}
	return cn.ack()
}

func (cn *conn) submitStaged(ctx context.Context, j *job, ref DataRef, opt api.SubmitOptions) (api.Job, error) {
	f, err := os.Open(j.staged[ref.Name])
	if err != nil {
		return api.Job{}, err
	}
	defer f.Close()
	return cn.s.submit.Submit(ctx, opt, f)
}

// stageFile keeps a data file that waits for the rest of its job, and
// returns its SHA-256.
func (cn *conn) stageFile(body io.Reader) (path, sum string, err error) {
	f, err := os.CreateTemp(cn.s.stage, "df-*")
	if err != nil {
		return "", "", fmt.Errorf("staging: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(f, io.TeeReader(body, h)); err != nil {
		os.Remove(f.Name())
		return "", "", err
	}
	return f.Name(), hex.EncodeToString(h.Sum(nil)), nil
}

// bodyFailed answers a data file that could not be taken: the sender is
// told why when it still listens.
func (cn *conn) bodyFailed(err error, doing string) {
	switch {
	case errors.Is(err, ErrTooLarge):
		msg := fmt.Sprintf("%s: above receivers.lpd.max_document (%d bytes)", doing, int64(cn.s.lpd.MaxDocument))
		cn.refuse(receiver.RefusedTooLarge, msg)
		cn.reply(replyFail, msg)
	case errors.Is(err, ErrProtocol):
		cn.refuse(receiver.RefusedProtocol, doing+": "+err.Error())
		cn.reply(replyFail, err.Error())
	case errors.Is(err, api.ErrBadRequest):
		cn.refuse(receiver.RefusedSpool, doing+": "+err.Error())
		cn.reply(replyFail, err.Error())
	case connError(err):
		cn.fail(err, doing)
	default:
		cn.refuse(receiver.RefusedSpool, doing+": "+err.Error())
		cn.reply(replyRetry, "omsd cannot store the job now; send it again later")
	}
}

// connError reports whether err came from the connection (closed, reset,
// timed out) rather than from the spool.
func connError(err error) bool {
	var ne net.Error
	var oe *net.OpError
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.As(err, &ne) || errors.As(err, &oe)
}
