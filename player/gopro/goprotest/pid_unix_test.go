//go:build unix

package goprotest

import (
	"errors"
	"syscall"
)

// pidGone reports whether no process has pid: signal 0 checks existence
// without signalling, and a reaped child no longer exists (a zombie would).
func pidGone(pid int) (gone, known bool) {
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH), true
}
