//go:build race

package soak

// raceDetector is set when the test runs under the race detector, whose own
// memory (shadow memory for every address touched, per-thread state) is
// resident and grows with what the run touches, not with what it holds.
const raceDetector = true
