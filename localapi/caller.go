package localapi

import (
	"context"
	"fmt"
	"net"
	"os/user"
	"strconv"

	"github.com/omsd/omsd/api"
)

// callerKey keys the user id of the process at the other end of a request's
// connection in its context.
type callerKey struct{}

// withCaller is the server's ConnContext: on a unix socket it keeps the
// peer's user id, as the kernel reports it.
func withCaller(ctx context.Context, c net.Conn) context.Context {
	if uid, ok := peerUID(c); ok {
		return context.WithValue(ctx, callerKey{}, uid)
	}
	return ctx
}

// userKey keys the name of a user that a front end logged in itself.
type userKey struct{}

// WithUser returns ctx saying that user, logged in to a front end that
// authenticates its own users (the web console, named by via), makes the
// request.
func WithUser(ctx context.Context, user, via string) context.Context {
	return context.WithValue(ctx, userKey{}, user+" ("+via+")")
}

// Caller names the user of the process that sent the request: its
// account's name, else "uid N"; a front end's user as WithUser named it;
// "" when neither the connection nor the front end says.
func Caller(ctx context.Context) string {
	if u, ok := ctx.Value(userKey{}).(string); ok {
		return u
	}
	uid, ok := ctx.Value(callerKey{}).(uint32)
	if !ok {
		return ""
	}
	id := strconv.FormatUint(uint64(uid), 10)
	if u, err := user.LookupId(id); err == nil && u.Username != "" {
		return u.Username
	}
	return fmt.Sprintf("uid %s", id)
}

// ackByCaller fills in who acknowledges alarms, when the request does not
// say, with the API caller.
func ackByCaller(ack func(context.Context, int64, api.AlarmAck) (api.Job, error)) func(context.Context, int64, api.AlarmAck) (api.Job, error) {
	return func(ctx context.Context, id int64, a api.AlarmAck) (api.Job, error) {
		if a.By == "" {
			a.By = Caller(ctx)
		}
		return ack(ctx, id, a)
	}
}
