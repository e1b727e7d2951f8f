package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/internal/testdb"
)

// TestMain lets the test binary stand in for the command: run with ADVOCATELOOP_AS_COMMAND=1 it
// is advocateloop itself, the real main with the race detector on, and nothing to build.
func TestMain(m *testing.M) {
	if os.Getenv("ADVOCATELOOP_AS_COMMAND") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// command is advocateloop with these arguments and environment.
func command(env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(env, "ADVOCATELOOP_AS_COMMAND=1")
	return cmd
}

// TestCommandLine creates a practice, serves on a free port, answers with the printed key and
// shuts down gracefully on SIGTERM: what a new user does first.
func TestCommandLine(t *testing.T) {
	env := append(os.Environ(), "DATABASE_URL="+testdb.URL(t), "ADVOCATELOOP_ADDR=127.0.0.1:0",
		"ADVOCATELOOP_PUBLIC_URL=https://refer.example.com/")

	migrate := command(env, "migrate")
	if out, err := migrate.CombinedOutput(); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}

	create := command(env, "practice", "create", "--name", "Glow Aesthetics", "--admin-email", "Owner@Glow.example")
	out, err := create.Output()
	if err != nil {
		t.Fatalf("practice create: %v", err)
	}
	var created struct {
		PracticeID    string `json:"practice_id"`
		Slug          string `json:"slug"`
		APIKey        string `json:"api_key"`
		WebhookSecret string `json:"webhook_secret"`
		AdminSetupURL string `json:"admin_setup_url"`
	}
	if err := json.Unmarshal(out, &created); err != nil {
		t.Fatalf("practice create printed %q: %v", out, err)
	}
	if !regexp.MustCompile(`^al_live_[0-9A-Za-z]{32}$`).MatchString(created.APIKey) {
		t.Errorf("api_key = %q", created.APIKey)
	}
	secret, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(created.WebhookSecret, "whsec_"))
	if !strings.HasPrefix(created.WebhookSecret, "whsec_") || err != nil || len(secret) != 32 {
		t.Errorf("webhook_secret = %q", created.WebhookSecret)
	}
	if created.Slug != "glow-aesthetics" || !strings.HasPrefix(created.PracticeID, "prc_") ||
		!strings.HasPrefix(created.AdminSetupURL, "https://refer.example.com/setup/") {
		t.Errorf("practice create = %+v", created)
	}

	serve := command(env) // serve is the default
	logs, _ := serve.StderrPipe()
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer serve.Process.Kill()
	addr := listeningAddr(t, logs)

	req, _ := http.NewRequest("GET", "http://"+addr+"/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+created.APIKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"name":"Glow Aesthetics"`) {
		t.Fatalf("GET /v1/me: %d %s", res.StatusCode, body)
	}

	// The practice checks its webhook set-up with a signed sample payment.
	send := command(env, "send-test-payment", "--url", "http://"+addr, "--practice", created.PracticeID, "--secret", created.WebhookSecret)
	if out, err := send.CombinedOutput(); err != nil || !strings.Contains(string(out), `"outcome":"no_match"`) {
		t.Errorf("send-test-payment: %v\n%s", err, out)
	}
	bad := command(env, "send-test-payment", "--url", "http://"+addr, "--practice", created.PracticeID, "--secret", "whsec_"+strings.Repeat("A", 44))
	if out, err := bad.CombinedOutput(); err == nil || !strings.Contains(string(out), "invalid-signature") {
		t.Errorf("send-test-payment with a wrong secret: %v\n%s", err, out)
	}
	noPractice := command(env, "send-test-payment", "--url", "http://"+addr, "--secret", created.WebhookSecret)
	if out, err := noPractice.CombinedOutput(); err == nil || !strings.Contains(string(out), "--practice") {
		t.Errorf("send-test-payment without --practice: %v\n%s", err, out)
	}

	if err := serve.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- serve.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("serve exited with %v after SIGTERM, want a clean exit", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop within 10s of SIGTERM")
	}
}

// listeningAddr reads the server's log until it says where it listens; the log keeps draining
// afterwards so the server never blocks on a full pipe.
func listeningAddr(t *testing.T, logs io.Reader) string {
	t.Helper()
	found := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(logs)
		for lines.Scan() {
			var entry struct {
				Msg  string `json:"msg"`
				Addr string `json:"addr"`
			}
			if json.Unmarshal(lines.Bytes(), &entry) == nil && entry.Msg == "listening" {
				found <- entry.Addr
			}
		}
	}()
	select {
	case addr := <-found:
		return addr
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not log where it listens within 30s")
		return ""
	}
}

// TestUnknownCommand fails with a hint instead of serving.
func TestUnknownCommand(t *testing.T) {
	cmd := command(os.Environ(), "serv")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "unknown command") {
		t.Fatalf("advocateloop serv: %v %s", err, out)
	}
}
