// Package ipp is omsd's IPP server: a print server for upstream hosts
// (CUPS's ipp backend, ERP systems, ipptool). Each receiver queue is a
// printer, ipp://HOST:PORT/ipp/print/QUEUE (ipps:// with TLS); the jobs
// it receives go through intake's Submit like an upload, into the queue's
// workflow, and the client sees omsd's own job: its job-id, its state
// (processing, completed, aborted with the reason) until it ends.
//
// A Print-Job (or the last Send-Document) is answered only after Submit
// returned, that is after the document is in the spool and synced; a
// client that goes away before that leaves neither job nor file.
// Create-Job makes a job that lives only in this server until its document
// arrives (its job-id is above CreatedJobBase and is kept in the omsd
// job's origin, so it is found again after a restart).
//
// Everything refused — a peer outside the allow-list or above
// max_connections, a wrong password, a request that does not decode, a
// document too large or cut off — is logged with the peer's address and
// the reason, and counted, by the listener's receiver.Guard (omsctl status
// shows it). Requests are decoded through DecodeRequest, the fence around
// the third-party decoder.
package ipp

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/omsd/omsd/api"
	"github.com/omsd/omsd/audit"
	"github.com/omsd/omsd/config"
	"github.com/omsd/omsd/intake/receiver"
	"github.com/omsd/omsd/users"
)

// Backend is what the server needs of omsd: intake's Submit and the job
// reads and cancel the local API serves.
type Backend interface {
	Submit(ctx context.Context, opt api.SubmitOptions, body io.Reader) (api.Job, error)
	Job(ctx context.Context, id int64) (api.Job, error)
	Jobs(ctx context.Context, q api.JobQuery) ([]api.Job, error)
	Cancel(ctx context.Context, id int64) (api.Job, error)
}

// Options are what New builds a server from.
type Options struct {
	Config  *config.Config
	Backend Backend
	Users   *users.Directory // nil: no authentication
	Audit   *audit.Log       // nil: cancels are not recorded
	TLS     *tls.Config      // nil: plain ipp://
	Log     zerolog.Logger
}

// Server is the IPP server.
type Server struct {
	cfg     config.IPPReceiver
	conf    *config.Config
	order   []string // queue names as configured
	guard   *receiver.Guard
	backend Backend
	users   *users.Directory
	audit   *audit.Log
	tls     *tls.Config
	log     zerolog.Logger
	created *createdJobs

	mu      sync.Mutex
	running net.Listener
}

// New builds the server for opt.Config's receiver queues.
func New(ctx context.Context, opt Options) (*Server, error) {
	rc := opt.Config.Receivers.IPP
	allowed, err := config.ParseAllow(rc.Allow)
	if err != nil {
		return nil, fmt.Errorf("receivers.ipp.allow: %w", err)
	}
	s := &Server{cfg: rc, conf: opt.Config, backend: opt.Backend, users: opt.Users, audit: opt.Audit,
		tls: opt.TLS, log: opt.Log}
	for _, q := range opt.Config.ReceiverQueues() {
		s.order = append(s.order, q.Name)
	}
	s.guard = receiver.NewGuard("ipp", allowed, rc.MaxConnections, s.order, opt.Log)
	s.created = newCreatedJobs(nextCreatedID(ctx, opt.Backend))
	return s, nil
}

// Scheme is ipps with TLS, else ipp.
func (s *Server) Scheme() string {
	if s.tls != nil {
		return "ipps"
	}
	return "ipp"
}

// Addr is the address the server listens on, nil before Serve listens.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running == nil {
		return nil
	}
	return s.running.Addr()
}

// Guard is the listener's guard: its status for omsctl status.
func (s *Server) Guard() *receiver.Guard { return s.guard }

// ListenAndServe listens on the configured address and serves until ctx
// ends. An address that cannot be bound (another process has the port) is
// logged and shown in the status; hot folders and the other receivers
// carry on.
func (s *Server) ListenAndServe(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		s.guard.Failed(s.cfg.Listen, err)
		<-ctx.Done()
		return nil
	}
	return s.Serve(ctx, ln)
}

// Serve serves IPP on ln until ctx ends; it closes ln.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	ln = s.guard.Listen(ln)
	if s.tls != nil {
		ln = tls.NewListener(ln, s.tls)
	}
	s.mu.Lock()
	s.running = ln
	s.mu.Unlock()
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: s.cfg.ReadTimeout.Std(),
		IdleTimeout:       s.cfg.IdleTimeout.Std(),
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          newHTTPErrorLog(s.log),
	}
	s.log.Info().Str("listen", ln.Addr().String()).Str("scheme", s.Scheme()).Strs("queues", s.order).
		Bool("authentication", s.users != nil).Msg("ipp: serving")
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := srv.Shutdown(sctx); err != nil {
				srv.Close()
			}
		case <-done:
		}
	}()
	err := srv.Serve(ln)
	close(done)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return fmt.Errorf("ipp: %w", err)
}
