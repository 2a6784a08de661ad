//go:build !linux

package player

// lowerDecodePriority does nothing here yet: thread priorities are set per
// thread on Linux only (see priority_linux.go).
func lowerDecodePriority() {}
