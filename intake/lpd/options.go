package lpd

import (
	"fmt"
	"maps"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/intake/receiver"
)

// options are the submit options of data file ref of a job with control
// file ctl sent to queue q. Its name is the job's (J), or with several
// data files each file's own (N); its metadata the control file's.
// Its identity (lpd_control, lpd_data, lpd_size, with lpd_host and lpd_id)
// tells a job sent again from a new one (see resent).
func (cn *conn) options(q config.ReceiverQueue, ctl *Control, ref DataRef, several bool, size int64) api.SubmitOptions {
	name := firstOf(ctl.Job, ref.Source)
	if several {
		name = firstOf(ref.Source, ctl.Job)
	}
	meta := maps.Clone(ctl.Fields)
	if meta == nil {
		meta = map[string]string{}
	}
	meta["lpd_format"] = string(ref.Format)
	if ref.Source != "" {
		meta["lpd_source"] = ref.Source
	}
	meta["lpd_data"] = ref.Name
	if ctl.Name != "" {
		meta["lpd_control"] = ctl.Name
	}
	if size >= 0 {
		meta["lpd_size"] = fmt.Sprint(size)
	}
	if ref.Copies > 1 {
		meta["copies"] = fmt.Sprint(ref.Copies)
	}
	user := ctl.User
	opt := receiver.Options(q, "lpd", "", receiver.Sent{Name: name, User: user, Metadata: meta})
	if opt.Name == "" {
		opt.Name = ref.Name
	}
	who := opt.User
	if who == "" {
		who = "unknown"
	}
	opt.Origin = fmt.Sprintf("lpd %s@%s queue %s", who, cn.peer, q.Name)
	if ref.Copies > 1 {
		opt.Copies = min(ref.Copies, receiver.MaxCopies)
	}
	return opt
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
