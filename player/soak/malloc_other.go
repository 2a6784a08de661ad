//go:build linux && !cgo

package soak

// cHeap is unknown without cgo.
func cHeap() (inUse, held uint64) { return 0, 0 }
