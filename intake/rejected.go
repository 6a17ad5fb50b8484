package intake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/omsd/omsd/api"
)

// maxErrorReport bounds the NAME.error.json read for the listing.
const maxErrorReport = 64 << 10

// Rejected lists the newest limit files of the error folder, newest first,
// from their NAME.error.json. A report that cannot be read is skipped.
func (s *Service) Rejected(ctx context.Context, limit int) ([]api.Rejected, error) {
	if limit <= 0 {
		limit = api.DefaultRejectedLimit
	}
	entries, err := os.ReadDir(s.errorDir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("error folder %s: %w", s.errorDir, err)
	}
	type report struct {
		name string
		mod  int64
	}
	var reports []report
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".error.json") {
			if fi, err := e.Info(); err == nil {
				reports = append(reports, report{e.Name(), fi.ModTime().UnixNano()})
			}
		}
	}
	slices.SortFunc(reports, func(a, b report) int { return int(b.mod - a.mod) })
	var out []api.Rejected
	for _, r := range reports {
		if len(out) == limit || ctx.Err() != nil {
			break
		}
		if rep, err := readErrorReport(filepath.Join(s.errorDir, r.name)); err == nil {
			out = append(out, rep)
		}
	}
	return out, nil
}

func readErrorReport(path string) (api.Rejected, error) {
	var rep api.Rejected
	f, err := os.Open(path)
	if err != nil {
		return rep, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxErrorReport))
	if err != nil {
		return rep, err
	}
	err = json.Unmarshal(data, &rep)
	return rep, err
}
