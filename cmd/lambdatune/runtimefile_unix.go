//go:build unix

package main

import (
	"fmt"
	"os"
	"syscall"
)

// checkPrivateDir refuses a shared temporary directory that is not the
// user's own, private one: another user could otherwise plant a sandbox there.
func checkPrivateDir(dir string) error {
	info, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !info.IsDir() || !ok || int(st.Uid) != os.Getuid() || info.Mode().Perm() != 0o700 {
		return fmt.Errorf("%s is not a private directory of this user (want a directory of uid %d with mode 0700)", dir, os.Getuid())
	}
	return nil
}

// processAlive reports whether pid is a running process of this user
// (signal 0 checks without signalling). EPERM means the pid now belongs to
// another user's process: the sandbox that wrote the file is gone.
func processAlive(pid int) bool {
	return syscall.Kill(pid, 0) == nil
}
