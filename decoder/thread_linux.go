package decoder

import "syscall"

// threadID is the calling OS thread's id, which FFmpeg's log callback,
// called back on the thread that called FFmpeg, shares with the caller.
func threadID() int { return syscall.Gettid() }
