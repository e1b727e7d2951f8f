package harness

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Server is the real advocateloop binary, serving on one loopback address across restarts.
type Server struct {
	bin  string
	env  []string
	Addr string // 127.0.0.1:port, fixed at the first start

	mu      sync.Mutex
	cmd     *exec.Cmd
	exited  chan struct{}
	exitErr error
	logs    *serverLogs
}

// StartServer runs `advocateloop serve` with env on a free loopback port and waits until its
// log says where it listens. The server gets no other environment than PATH and HOME.
func StartServer(ctx context.Context, bin string, env []string) (*Server, error) {
	s := &Server{bin: bin, env: env, logs: &serverLogs{}}
	return s, s.start(ctx, "127.0.0.1:0")
}

// URL is the server's base URL.
func (s *Server) URL() string { return "http://" + s.Addr }

// Pid is the running process's id.
func (s *Server) Pid() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cmd.Process.Pid
}

func (s *Server) start(ctx context.Context, addr string) error {
	cmd := exec.Command(s.bin, "serve")
	cmd.Env = append(append(baseEnv(), s.env...), "ADVOCATELOOP_ADDR="+addr)
	cmd.Stdout = io.Discard
	// If chaos itself dies, so do its servers.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("chaos: start the server: %w", err)
	}
	exited := make(chan struct{})
	listening := make(chan string, 1)
	go func() {
		s.logs.read(stderr, listening) // until the process ends, so it never blocks on a full pipe
		err := cmd.Wait()
		s.mu.Lock()
		s.exitErr = err
		s.mu.Unlock()
		close(exited)
	}()
	s.mu.Lock()
	s.cmd, s.exited, s.exitErr = cmd, exited, nil
	s.mu.Unlock()
	select {
	case got := <-listening:
		s.Addr = got
		return nil
	case <-exited:
		return fmt.Errorf("chaos: the server exited before listening: %v\n%s", s.exitErr, s.logs.tail())
	case <-time.After(30 * time.Second):
		s.Kill()
		return fmt.Errorf("chaos: the server did not listen within 30s\n%s", s.logs.tail())
	case <-ctx.Done():
		s.Kill()
		return ctx.Err()
	}
}

// Restart starts the server again on its address.
func (s *Server) Restart(ctx context.Context) error {
	if s.Running() {
		return errors.New("chaos: the server is still running")
	}
	return s.start(ctx, s.Addr)
}

// Running reports whether the process is alive.
func (s *Server) Running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.exited == nil {
		return false
	}
	select {
	case <-s.exited:
		return false
	default:
		return true
	}
}

// Kill ends the server with SIGKILL, as a crash or the OOM killer would, and waits for it.
func (s *Server) Kill() {
	if !s.Running() {
		return
	}
	s.mu.Lock()
	cmd, exited := s.cmd, s.exited
	s.mu.Unlock()
	_ = cmd.Process.Signal(syscall.SIGKILL)
	<-exited
}

// Stop sends SIGTERM, as a deploy does, and waits up to within for a clean exit.
func (s *Server) Stop(within time.Duration) error {
	if !s.Running() {
		return nil
	}
	s.mu.Lock()
	cmd, exited := s.cmd, s.exited
	s.mu.Unlock()
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(within):
		s.Kill()
		return fmt.Errorf("did not exit within %s of SIGTERM", within)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.exitErr != nil {
		return fmt.Errorf("exited with %v after SIGTERM", s.exitErr)
	}
	return nil
}

// LeakedEmails counts log lines that carry a whole email of chaos's own patients.
func (s *Server) LeakedEmails() int { return s.logs.leaks() }

// Logs is the end of the server's log, for a report.
func (s *Server) Logs() string { return s.logs.tail() }

// serverLogs keeps the end of a server's JSON log and watches it for emails.
type serverLogs struct {
	mu     sync.Mutex
	last   []string
	leaked int
}

// unmasked is an email of chaos's own domain with more than its first letter showing; the
// logger keeps only j***@domain.
var unmasked = regexp.MustCompile(`[A-Za-z0-9._%+\-]{2,}@chaos\.example`)

func (l *serverLogs) read(r io.Reader, listening chan<- string) {
	lines := bufio.NewScanner(r)
	lines.Buffer(make([]byte, 64<<10), 1<<20)
	for lines.Scan() {
		line := lines.Text()
		var entry struct {
			Msg  string `json:"msg"`
			Addr string `json:"addr"`
		}
		if json.Unmarshal([]byte(line), &entry) == nil && entry.Msg == "listening" {
			select {
			case listening <- entry.Addr:
			default:
			}
		}
		l.mu.Lock()
		if unmasked.MatchString(line) {
			l.leaked++
		}
		l.last = append(l.last, line)
		if len(l.last) > 40 {
			l.last = l.last[1:]
		}
		l.mu.Unlock()
	}
	io.Copy(io.Discard, r)
}

func (l *serverLogs) leaks() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.leaked
}

func (l *serverLogs) tail() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.last, "\n")
}

// baseEnv is all a server inherits from chaos: no DATABASE_URL or settings of the caller's.
func baseEnv() []string {
	return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
}

// Practice is what `advocateloop practice create` prints.
type Practice struct {
	ID            string `json:"practice_id"`
	Name          string `json:"name"`
	Slug          string `json:"slug"`
	APIKey        string `json:"api_key"`
	WebhookSecret string `json:"webhook_secret"`
	AdminSetupURL string `json:"admin_setup_url"`
	AdminEmail    string `json:"-"`
}

// CreatePractice runs `advocateloop practice create` against the database of env.
func CreatePractice(ctx context.Context, bin string, env []string, name, adminEmail string) (Practice, error) {
	cmd := exec.CommandContext(ctx, bin, "practice", "create", "--name", name, "--admin-email", adminEmail)
	cmd.Env = append(baseEnv(), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return Practice{}, fmt.Errorf("chaos: practice create: %v\n%s", err, stderr.String())
	}
	var p Practice
	if err := json.Unmarshal(out, &p); err != nil {
		return Practice{}, fmt.Errorf("chaos: practice create printed %q: %w", out, err)
	}
	p.AdminEmail = adminEmail
	return p, nil
}
