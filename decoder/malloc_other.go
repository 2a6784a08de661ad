//go:build !linux || !cgo

package decoder

// releaseFreed gives freed memory back to the system where the C allocator
// keeps it (malloc_linux.go); elsewhere there is nothing to do.
func releaseFreed() {}
