//go:build linux

package goprotest

import (
	"os/exec"
	"syscall"
)

// configureSender makes the kernel kill the sender when the test binary dies
// without running its cleanups (a panic, go test's -timeout): otherwise a
// looping ffmpeg would outlive it and keep sending to a loopback port that a
// later test may be reading.
func configureSender(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
