package daemon

import (
	"context"

	"github.com/omsd/omsd/api"
)

// The inserting lines' side of the local API (localapi.LinesBackend),
// from the loop.

func (b backend) Lines(ctx context.Context) ([]api.Line, error) { return b.d.loop.Lines(ctx) }

func (b backend) RunFiles(ctx context.Context, id int64) (api.RunFiles, error) {
	return b.d.loop.RunFiles(ctx, id)
}
