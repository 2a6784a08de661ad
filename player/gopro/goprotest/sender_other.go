//go:build !linux

package goprotest

import "os/exec"

// configureSender: only Linux can tie the sender's life to the test binary's.
func configureSender(*exec.Cmd) {}
