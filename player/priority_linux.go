package player

import (
	"runtime"
	"syscall"
)

// decodeNice is the nice value of the threads that decode and scale. The
// window's thread paints every tile, and with sixteen decode threads beside
// it at the same priority the kernel gives it a seventeenth of the CPU: the
// wall then paints 4–6 pictures a second while every camera decodes 30
// (measured with BenchmarkWindow). At nice 10 a decode thread weighs about a
// tenth of the UI thread, so the pictures already decoded are painted first
// and, when the machine is short, the decoders share what is left evenly
// and drop to their next keyframe.
const decodeNice = 19

// lowerDecodePriority locks the calling goroutine to its OS thread and
// lowers that thread's priority to decodeNice; FFmpeg's decoder threads,
// created from it afterwards, inherit it. The thread is never unlocked: it
// ends with the goroutine instead of going back to Go's pool with a low
// priority. Failure is harmless (the wall is then only less smooth), so it
// is ignored.
func lowerDecodePriority() {
	runtime.LockOSThread()
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), decodeNice)
}
