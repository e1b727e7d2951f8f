package main

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/advocateloop/advocateloop/backend/cmd/chaos/harness"
)

// diskFull is how the SQLite scenario fills the disk: tmpfs, fsize or auto (the -disk-full flag).
var diskFull = "auto"

// sqliteTrouble runs the embedded SQLite through a burst of first requests to a fresh server,
// another process holding its writer lock past the request deadline, then a full disk. The
// burst must be answered; the lock and the disk must answer 503 with Retry-After, /readyz must
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
	if err := burst(ctx, s, t); err != nil {
		return err
	}
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

	w = t.Watch()
	if err := fillDisk(ctx, s, disk); err != nil {
		return err
	}
	ready, probes, answers := 0, 0, []int{}
	sleep(ctx, 500*time.Millisecond)
	every(ctx, 250*time.Millisecond, e.span(2*time.Second, 6*time.Second), func() {
		probes++
		answer := s.ready(ctx)
		answers = append(answers, answer)
		if answer != http.StatusServiceUnavailable {
			ready++
		}
	})
	if err := disk.Free(); err != nil {
		return err
	}
	seen = w.Stop()
	s.cleared(ctx, "disk space was freed")
	if ready > 0 {
		t.Fail("/readyz did not answer 503 while the disk was full (%d of %d probes; answers in order: %v, 0 is none)", ready, probes, answers)
	}
	if seen.Statuses[http.StatusServiceUnavailable] == 0 {
		t.Fail("no 503 while the disk was full")
	}
	sleep(ctx, e.span(time.Second, 5*time.Second))
	return nil
}

// burst sends 12 new advocates and 12 payments at once to a server that has just started, as
// Zaps queued during a deploy do. SQLite has one connection: a server that can deadlock on it
// (each statement prepared for the first time by two requests at once) stops answering here.
func burst(ctx context.Context, s *stack, t *harness.Tally) error {
	c := s.client(0)
	defer c.Close()
	unanswered := 0
	var mu sync.Mutex
	parallel(ctx, 24, 24, func(i int) {
		invoice := "BURST-" + harness.NewKey()[6:18]
		var a *harness.Answer
		if i%2 == 0 {
			a = c.PostJSON(ctx, "/v1/advocates", map[string]string{"name": "Burst Advocate", "email": madeEmail()})
		} else {
			a = c.PostJSON(ctx, "/v1/conversions", map[string]string{"invoice_id": invoice, "email": madeEmail(), "amount": "30.00"})
		}
		var adv struct {
			ID string `json:"id"`
		}
		mu.Lock()
		defer mu.Unlock()
		switch {
		case !a.OK():
			unanswered++
		case i%2 == 0 && a.Decode(&adv) == nil:
			s.ledger.Keep(harness.KeptAdvocate, adv.ID)
		case i%2 == 1:
			s.ledger.Keep(harness.KeptPayment, s.practices[0].ID, invoice, "")
		}
	})
	if unanswered > 0 {
		t.Fail("%d of 24 requests sent at once to a freshly started server were never acknowledged", unanswered)
		return fmt.Errorf("the server stopped answering after a burst of first requests (on SQLite's one connection, a deadlock)")
	}
	return nil
}

// fillDisk fills the disk under a WAL that is empty and stays so until the disk is full, so the
// server's next write needs space there is none of. A WAL with frames in it would not do: once
// SQLite has checkpointed them all (it does so by itself at 1000), its next writer starts the
// WAL over in the file's own space, and on a full disk its writes would still succeed.
func fillDisk(ctx context.Context, s *stack, disk *harness.DiskFull) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var busy, frames, copied int
	for try := 0; ; try++ {
		if err := conn.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &frames, &copied); err != nil {
			return fmt.Errorf("chaos: checkpoint SQLite's WAL: %w", err)
		}
		if busy == 0 && frames == 0 {
			break
		}
		if try == 100 {
			return fmt.Errorf("chaos: SQLite's WAL could not be emptied before filling the disk (%d frames left)", frames)
		}
		sleep(ctx, 20*time.Millisecond)
	}
	// Holding the writer lock keeps the server's writes out of the WAL while the disk fills.
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("chaos: take SQLite's writer lock: %w", err)
	}
	defer conn.ExecContext(context.Background(), "ROLLBACK")
	return disk.Fill(s.server().Pid())
}
