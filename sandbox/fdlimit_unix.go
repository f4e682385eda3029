//go:build unix

package sandbox

import "syscall"

// openFileLimit is the process's current limit on open files (Go raises the
// soft limit to the hard one at start), or 0 when it cannot be read.
func openFileLimit() uint64 {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		return 0
	}
	return uint64(rl.Cur)
}
