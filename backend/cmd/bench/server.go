package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/advocateloop/advocateloop/backend/internal/pgcluster"
)

// server is the real advocateloop binary serving on a loopback port.
type server struct {
	cmd    *exec.Cmd
	addr   string
	exited chan struct{}
	tail   *tail
}

// serverEnv is what every server gets besides its database: a rate limit that never limits
// (the bench is one client sending thousands of requests a second).
var serverEnv = []string{
	"ADVOCATELOOP_RATE_LIMIT=100000000",
	"ADVOCATELOOP_PUBLIC_RATE_LIMIT=100000000",
	"ADVOCATELOOP_PUBLIC_URL=http://refer.bench.example",
}

// startServer runs `advocateloop serve` with env on a free loopback port below 32768 and
// waits until it listens. If the bench dies, so does the server.
func startServer(ctx context.Context, bin string, env ...string) (*server, error) {
	var err error
	for range 5 {
		var s *server
		if s, err = tryServer(ctx, bin, env); err == nil {
			return s, nil
		}
		if !strings.Contains(err.Error(), "address already in use") {
			break
		}
	}
	return nil, err
}

func tryServer(ctx context.Context, bin string, env []string) (*server, error) {
	addr := fmt.Sprintf("127.0.0.1:%d", pgcluster.FreePort())
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(append(append(baseEnv(), serverEnv...), env...), "ADVOCATELOOP_ADDR="+addr)
	cmd.Stdout = io.Discard
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("bench: start the server: %w", err)
	}
	s := &server{cmd: cmd, addr: addr, exited: make(chan struct{}), tail: &tail{}}
	listening := make(chan struct{}, 1)
	go func() {
		s.tail.read(stderr, listening) // until the process ends, so it never blocks on a full pipe
		_ = cmd.Wait()
		close(s.exited)
	}()
	select {
	case <-listening:
		return s, nil
	case <-s.exited:
		return nil, fmt.Errorf("bench: the server exited before listening:\n%s", s.tail.String())
	case <-time.After(60 * time.Second):
		s.stop()
		return nil, fmt.Errorf("bench: the server did not listen within 60s:\n%s", s.tail.String())
	case <-ctx.Done():
		s.stop()
		return nil, ctx.Err()
	}
}

func (s *server) url() string { return "http://" + s.addr }

// peakRSS is the process's peak resident set (VmHWM) in MiB, 0 if it cannot be read.
func (s *server) peakRSS() float64 {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// stop sends SIGTERM and waits up to 30 s, then kills.
func (s *server) stop() {
	select {
	case <-s.exited:
		return
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

// tail keeps the end of a server's log for error messages, and notices "listening".
type tail struct {
	mu    sync.Mutex
	lines []string
}

func (t *tail) read(r io.Reader, listening chan<- struct{}) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var entry struct {
			Msg string `json:"msg"`
		}
		if json.Unmarshal(sc.Bytes(), &entry) == nil && entry.Msg == "listening" {
			select {
			case listening <- struct{}{}:
			default:
			}
		}
		t.mu.Lock()
		t.lines = append(t.lines, sc.Text())
		if len(t.lines) > 20 {
			t.lines = t.lines[1:]
		}
		t.mu.Unlock()
	}
	_, _ = io.Copy(io.Discard, r)
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.lines, "\n")
}

// baseEnv is all a server inherits: no DATABASE_URL or settings of the caller's.
func baseEnv() []string {
	return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
}

// practice is what `advocateloop practice create` prints, the parts the bench uses.
type practice struct {
	ID     string `json:"practice_id"`
	Slug   string `json:"slug"`
	APIKey string `json:"api_key"`
}

// createPractice runs `advocateloop practice create` on a database: the way an operator makes
// a practice and its first API key.
func createPractice(ctx context.Context, bin, databaseURL, name string) (practice, error) {
	email := "owner-" + strings.ToLower(strings.ReplaceAll(name, " ", "-")) + "@bench.example"
	cmd := exec.CommandContext(ctx, bin, "practice", "create", "--name", name, "--admin-email", email)
	cmd.Env = append(baseEnv(), "DATABASE_URL="+databaseURL)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return practice{}, fmt.Errorf("bench: practice create: %v\n%s", err, stderr.String())
	}
	var p practice
	if err := json.Unmarshal(out, &p); err != nil {
		return practice{}, fmt.Errorf("bench: practice create printed %q: %w", out, err)
	}
	return p, nil
}
