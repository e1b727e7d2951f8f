package app

import (
	"context"
	"log/slog"
	"time"
)

// releaseBatch is how many held rewards one pass issues before it looks again at once.
const releaseBatch = 100

// releaseHeldRewards issues held rewards as their holds end, looking every interval. The
// database is its only state, so a restart loses nothing, and every server may run it: each
// reward is claimed in a transaction of its own. Trouble is logged and tried on the next pass.
func (a *App) releaseHeldRewards(ctx context.Context, interval time.Duration) {
	for {
		n, err := a.Service.ReleaseHeldRewards(ctx, releaseBatch)
		switch {
		case err != nil && ctx.Err() == nil:
			slog.Error("releasing held rewards failed", "released", n, "error", err.Error())
		case n > 0:
			slog.Info("released held rewards", "count", n)
		}
		wait := interval
		if n == releaseBatch && err == nil {
			wait = 0 // more are due: keep going
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}
