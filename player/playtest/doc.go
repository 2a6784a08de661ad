// Package playtest holds what the tests and benchmarks of every camwall
// package share: free loopback ports, waiting for a condition, the demo
// cameras and small clips, concurrency-safe output buffers and child
// processes ended by their own PID.
//
// It is an ordinary package so that any test can import it, and imports
// neither Fyne nor app, nor player or decoder, whose tests use it.
package playtest
