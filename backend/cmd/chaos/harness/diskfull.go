package harness

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// DiskFull makes the disk under a server's SQLite database run out, and frees it again. It
// works one of two ways: a small tmpfs mounted for the database and filled up (a real
// ENOSPC; needs the right to mount), or else RLIMIT_FSIZE set to zero on the server process
// (EFBIG on every write; needs only the right to signal it, so it works on any CI machine).
type DiskFull struct {
	Method  string // "tmpfs" or "fsize"
	dir     string
	mounted bool
	filler  string
	pid     int
	old     unix.Rlimit
}

// PrepareDiskFull readies dir to hold a database whose disk will fill up: method "tmpfs"
// mounts a small tmpfs there, "fsize" leaves it as it is, "auto" mounts when allowed.
func PrepareDiskFull(dir, method string) (*DiskFull, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	d := &DiskFull{Method: "fsize", dir: dir}
	if method == "fsize" {
		return d, nil
	}
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64m,mode=0755", "chaos-sqlite", dir).CombinedOutput()
	if err != nil {
		if method == "tmpfs" {
			return nil, fmt.Errorf("chaos: mount a tmpfs for the disk-full fault: %v: %s", err, out)
		}
		return d, nil
	}
	d.Method, d.mounted = "tmpfs", true
	return d, nil
}

// Fill makes writes fail: the tmpfs is filled to the last byte, or the server process may no
// longer write past offset zero.
func (d *DiskFull) Fill(pid int) error {
	if d.Method == "fsize" {
		d.pid = pid
		if err := unix.Prlimit(pid, unix.RLIMIT_FSIZE, nil, &d.old); err != nil {
			return fmt.Errorf("chaos: read the server's file size limit: %w", err)
		}
		return unix.Prlimit(pid, unix.RLIMIT_FSIZE, &unix.Rlimit{Cur: 0, Max: d.old.Max}, nil)
	}
	d.filler = filepath.Join(d.dir, "filler")
	f, err := os.Create(d.filler)
	if err != nil {
		return err
	}
	defer f.Close()
	for _, chunk := range []int{1 << 20, 4 << 10, 1} {
		block := make([]byte, chunk)
		for {
			if _, err := f.Write(block); err != nil {
				if !errors.Is(err, syscall.ENOSPC) {
					return fmt.Errorf("chaos: fill the disk: %w", err)
				}
				break
			}
		}
	}
	return nil
}

// Free gives the space back.
func (d *DiskFull) Free() error {
	if d.Method == "fsize" {
		return unix.Prlimit(d.pid, unix.RLIMIT_FSIZE, &d.old, nil)
	}
	return os.Remove(d.filler)
}

// Close unmounts the tmpfs, if there is one; the server must be stopped first.
func (d *DiskFull) Close() {
	if d.mounted {
		_ = exec.Command("umount", "-l", d.dir).Run()
	}
}
