package intake

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/omsd/omsd/atomicfile"
	"github.com/omsd/omsd/spool"
)

// uploadsDir, under the spool directory, holds uploads being received.
// Nothing in it was acknowledged: omsd empties it at start-up.
const uploadsDir = "uploads"

// uploadChunk is how much of an upload is copied between checks of the
// context.
const uploadChunk = 256 << 10

// stageUpload receives an uploaded print file into the uploads directory,
// synced, and returns its path. The job is created only after the whole
// file is durable, so a refused, cut off or canceled upload leaves neither
// a job nor a file behind: on any error the partial file is removed.
func (s *Service) stageUpload(ctx context.Context, body io.Reader) (path string, err error) {
	dir := filepath.Join(s.store.Dir(), uploadsDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("uploads directory: %w", err)
	}
	f, err := os.CreateTemp(dir, "upload-*")
	if err != nil {
		return "", fmt.Errorf("uploads directory: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := copyCtx(ctx, atomicfile.Writeback(f), body); err != nil {
		return "", err
	}
	if err := f.Chmod(0o600); err != nil {
		return "", fmt.Errorf("upload: %w", err)
	}
	if err := f.Sync(); err != nil {
		return "", fmt.Errorf("upload: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("upload: %w", err)
	}
	return f.Name(), nil
}

// copyCtx copies src to dst, checking ctx between chunks. Each chunk is
// filled before it is written: a sender's small pieces (an HTTP body's
// chunks of a few KB) become few large writes.
func copyCtx(ctx context.Context, dst io.Writer, src io.Reader) error {
	buf := make([]byte, uploadChunk)
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("upload: %w", err)
		}
		n, rerr := 0, error(nil)
		for n < len(buf) && rerr == nil {
			var m int
			m, rerr = src.Read(buf[n:])
			n += m
		}
		if n > 0 {
			if _, err := dst.Write(buf[:n]); err != nil {
				return fmt.Errorf("upload: %w", err)
			}
		}
		if errors.Is(rerr, io.EOF) {
			return nil
		}
		if rerr != nil {
			return fmt.Errorf("upload: %w", rerr)
		}
	}
}

// clearUploads removes uploads left by an omsd that stopped while it
// received them; their senders never got an answer.
func (s *Service) clearUploads() {
	dir := filepath.Join(s.store.Dir(), uploadsDir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "upload-") {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
			s.log.Warn().Err(err).Str("file", e.Name()).Msg("removing an unfinished upload")
			continue
		}
		s.log.Info().Str("file", e.Name()).Msg("removed an upload cut off when omsd stopped")
	}
}

// adoptUpload moves a staged upload into its job's directory.
func (s *Service) adoptUpload(staged string, j spool.Job) error {
	dir, err := s.store.MakeJobDir(j.ID)
	if err != nil {
		return err
	}
	return atomicfile.Move(staged, filepath.Join(dir, j.Input))
}
