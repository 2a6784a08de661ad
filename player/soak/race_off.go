//go:build !race

package soak

// raceDetector is set when the test runs under the race detector (see
// race_on.go).
const raceDetector = false
