package playtest

import (
	"testing"
	"time"
)

// Eventually polls cond every 10 ms until it holds (true) or d has passed
// (false).
func Eventually(d time.Duration, cond func() bool) bool {
	for deadline := time.Now().Add(d); ; time.Sleep(10 * time.Millisecond) {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}

// WaitFor polls cond until it holds, or fails the test with "after d: what".
func WaitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	if !Eventually(d, cond) {
		t.Fatalf("after %v: %s", d, what)
	}
}
