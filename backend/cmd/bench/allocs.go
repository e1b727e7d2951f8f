package main

import (
	"context"
	"runtime"
)

// allocsPerRequest is the heap allocations one matched Record Conversion makes in the server's
// code, HTTP handler to database driver: the app runs in this process (nothing else of the
// bench runs meanwhile) and the Go runtime counts the allocations of n requests.
func allocsPerRequest(ctx context.Context, databaseURL string, p practice, seed *seeder, t templates, n int) (float64, error) {
	in, err := openInProcess(ctx, databaseURL, false)
	if err != nil {
		return 0, err
	}
	defer in.close()
	call := in.caller(p.APIKey)
	warm := 20
	from, err := seed.pool(ctx, t, warm+n)
	if err != nil {
		return 0, err
	}
	for i := range int64(warm) {
		if err := sendExpecting(ctx, call, matched(from+i), converted); err != nil {
			return 0, err
		}
	}
	bodies := make([][]byte, n)
	for i := range bodies {
		bodies[i] = matched(from + int64(warm+i))
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for _, body := range bodies {
		if err := sendExpecting(ctx, call, body, converted); err != nil {
			return 0, err
		}
	}
	runtime.ReadMemStats(&after)
	return float64(after.Mallocs-before.Mallocs) / float64(n), nil
}
