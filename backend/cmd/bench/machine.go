package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
)

// machine is where the figures were measured.
type machine struct {
	cpus     int
	cpu      string
	memory   string
	postgres string
	settings []string // the PostgreSQL settings that matter for the commit path
}

func describeMachine(ctx context.Context, c *cluster) machine {
	m := machine{cpus: runtime.NumCPU(), cpu: "unknown", memory: "unknown", postgres: "unknown"}
	if info, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(info), "\n") {
			if name, ok := strings.CutPrefix(line, "model name"); ok {
				m.cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
				break
			}
		}
	}
	if info, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(info), "\n") {
			if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				var kb float64
				fmt.Sscanf(strings.TrimSpace(rest), "%f", &kb)
				m.memory = fmt.Sprintf("%.1f GiB", kb/1024/1024)
			}
		}
	}
	db, err := c.open("postgres")
	if err != nil {
		return m
	}
	defer db.Close()
	_ = db.QueryRowContext(ctx, "SHOW server_version").Scan(&m.postgres)
	for _, name := range []string{"fsync", "synchronous_commit", "full_page_writes", "wal_level", "shared_buffers", "max_connections"} {
		var v string
		if err := db.QueryRowContext(ctx, "SHOW "+name).Scan(&v); err == nil {
			m.settings = append(m.settings, name+"="+v)
		}
	}
	return m
}
