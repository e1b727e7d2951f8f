package main

import (
	"context"
	"net/http"
	"path/filepath"
	"time"

	"github.com/advocateloop/advocateloop/backend/cmd/chaos/harness"
)

// diskFull is how the SQLite scenario fills the disk: tmpfs, fsize or auto (the -disk-full flag).
var diskFull = "auto"

// sqliteTrouble runs the embedded SQLite through another process holding its writer lock past
// the request deadline, then a full disk. Both must answer 503 with Retry-After, /readyz must
// say not ready while the disk is full, and everything must land once the trouble ends.
func sqliteTrouble(ctx context.Context, e *env, t *harness.Tally) error {
	disk, err := harness.PrepareDiskFull(filepath.Join(e.work, "sqlite"), diskFull)
	if err != nil {
		return err
	}
	defer disk.Close()
	t.Note("the disk was filled by %s", map[string]string{
		"tmpfs": "filling a 64 MiB tmpfs holding the database (ENOSPC)",
		"fsize": "setting RLIMIT_FSIZE to 0 on the server process (EFBIG): no tmpfs could be mounted, or -disk-full=fsize asked for this",
	}[disk.Method])
	s, err := e.stack(ctx, t, options{sqliteDir: filepath.Join(e.work, "sqlite")})
	if err != nil {
		return err
	}
	defer s.finish(ctx)
	stop := drive(ctx, e.size(3, 6), s.traffic(0))
	defer stop()
	sleep(ctx, e.span(time.Second, 3*time.Second))

	held := e.span(5*deadline/2, 15*time.Second)
	w := t.Watch()
	release, err := holdWriter(ctx, s.db)
	if err != nil {
		return err
	}
	sleep(ctx, held/2)
	// Reported, not judged: a writer lock held elsewhere is a moment's wait, not an outage.
	t.Note("/readyz answered %d while another process held the writer lock", s.ready(ctx))
	sleep(ctx, held/2)
	release()
	s.cleared(ctx, "the writer lock was released")
	sleep(ctx, 500*time.Millisecond) // the answers the lock held back come now
	seen := w.Stop()
	if seen.Statuses[http.StatusServiceUnavailable] == 0 {
		t.Fail("no 503 while another process held SQLite's writer lock %s past the request deadline", held-deadline)
	}
	if seen.Slowest > deadline+2*time.Second {
		t.Fail("an answer took %.1f s while SQLite's writer lock was held, past the %s request deadline", seen.Slowest.Seconds(), deadline)
	}
	sleep(ctx, e.span(time.Second, 4*time.Second))

	// Start the fault with an empty WAL, so that the very next write needs new space.
	_, _ = s.db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	w = t.Watch()
	if err := disk.Fill(s.server().Pid()); err != nil {
		return err
	}
	ready, probes := 0, 0
	sleep(ctx, 500*time.Millisecond)
	every(ctx, 250*time.Millisecond, e.span(2*time.Second, 6*time.Second), func() {
		probes++
		if s.ready(ctx) != http.StatusServiceUnavailable {
			ready++
		}
	})
	if err := disk.Free(); err != nil {
		return err
	}
	seen = w.Stop()
	s.cleared(ctx, "disk space was freed")
	if ready > 0 {
		t.Fail("/readyz did not answer 503 while the disk was full (%d of %d probes)", ready, probes)
	}
	if seen.Statuses[http.StatusServiceUnavailable] == 0 {
		t.Fail("no 503 while the disk was full")
	}
	sleep(ctx, e.span(time.Second, 5*time.Second))
	return nil
}
