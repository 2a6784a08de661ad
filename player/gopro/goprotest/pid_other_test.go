//go:build !unix

package goprotest

// pidGone cannot ask about a PID without unix signals; callers skip the check.
func pidGone(int) (gone, known bool) { return false, false }
