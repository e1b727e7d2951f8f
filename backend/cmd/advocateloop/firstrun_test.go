package main

import (
	"bufio"
	"net/http"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/advocateloop/advocateloop/backend/internal/testdb"
)

// TestServePrintsAOneTimeSetupLink: on an empty database `serve` prints /setup?token=…, the
// page opens with it and refuses without it; a second server prints a token of its own.
func TestServePrintsAOneTimeSetupLink(t *testing.T) {
	env := append(os.Environ(), "DATABASE_URL="+testdb.URL(t), "ADVOCATELOOP_ADDR=127.0.0.1:0",
		"ADVOCATELOOP_PUBLIC_URL=https://refer.example.com/")
	link := regexp.MustCompile(`https://refer\.example\.com(/setup\?token=[0-9A-Za-z]{40}) `)
	var paths []string
	for range 2 {
		serve := command(env)
		logs, _ := serve.StderrPipe()
		out, _ := serve.StdoutPipe()
		if err := serve.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { serve.Process.Kill(); serve.Wait() })
		addr := listeningAddr(t, logs)
		found := make(chan string, 1)
		go func() {
			for lines := bufio.NewScanner(out); lines.Scan(); {
				if m := link.FindStringSubmatch(lines.Text()); m != nil {
					found <- m[1]
				}
			}
		}()
		select {
		case path := <-found:
			paths = append(paths, path)
		case <-time.After(30 * time.Second):
			t.Fatal("serve printed no /setup?token= link on an empty database")
		}
		for path, status := range map[string]int{paths[len(paths)-1]: 200, "/setup": 403, "/setup?token=guessed": 404} {
			res, err := http.Get("http://" + addr + path)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != status {
				t.Errorf("GET %s: %d, want %d", path, res.StatusCode, status)
			}
		}
	}
	if paths[0] == paths[1] {
		t.Fatal("two servers printed the same token")
	}
}
