// Package childproc starts the child processes of tests and benchmarks (the
// GoPro simulator's ffmpeg sender, the benchmarks' servers and references)
// so that a Pdeathsig set on them means what it says: kill the child when
// this process dies.
//
// Linux sends a child its parent-death signal when the thread that forked
// it exits, not the process. camwall's decode goroutines lock their threads
// and end them when a session closes (player's lowerDecodePriority), so a
// child forked from whatever thread a goroutine happened to run on could be
// killed in the middle of a test. Start forks from one thread that lives as
// long as the process.
package childproc

import (
	"os/exec"
	"runtime"
)

var forks = make(chan func())

func init() {
	go func() {
		runtime.LockOSThread()
		for f := range forks {
			f()
		}
	}()
}

// Start starts cmd from the long-lived thread and returns cmd.Start's error.
func Start(cmd *exec.Cmd) error {
	done := make(chan error)
	forks <- func() { done <- cmd.Start() }
	return <-done
}
