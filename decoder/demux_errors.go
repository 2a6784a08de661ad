package decoder

/*
#include <errno.h>
*/
import "C"

import (
	"errors"
	"syscall"

	"github.com/asticode/go-astiav"
)

// Causes a Demuxer reports, for errors.Is.
var (
	// ErrNoVideo: the input opened, but holds no video stream.
	ErrNoVideo = errors.New("no video stream")
	// ErrUnsupportedCodec: the input's video is in a codec camwall does not
	// decode. Retrying will not help.
	ErrUnsupportedCodec = errors.New("unsupported video codec")
	// ErrInterrupted: Interrupt made Open or Read give up.
	ErrInterrupted = errors.New("interrupted")
)

// ffmpegError is an error code returned by FFmpeg. FFmpeg reports system
// errors as negative C errno values, so the same failure is both an
// astiav.Error (what FFmpeg-aware code tests for) and a syscall.Errno (what
// the player's explainer tests for, as it does for Go's own network errors).
type ffmpegError struct {
	code  astiav.Error
	errno syscall.Errno // 0 when code is not a system error
}

func (e *ffmpegError) Error() string { return e.code.Error() }

func (e *ffmpegError) Unwrap() []error {
	if e.errno == 0 {
		return []error{e.code}
	}
	return []error{e.code, e.errno}
}

// ffmpegErr makes an error returned by go-astiav match its errno too; any
// other error is returned as it is.
func ffmpegErr(err error) error {
	var code astiav.Error
	if !errors.As(err, &code) {
		return err
	}
	return &ffmpegError{code: code, errno: cErrnos[-int(code)]}
}

// cErrnos maps the C library's errno values to Go's. They are the same
// numbers on Unix; on Windows FFmpeg uses the C runtime's values (mingw's
// ECONNREFUSED is 107) while Go's syscall package defines its own, so only a
// table built from the C headers is right everywhere. It lists what file and
// network I/O can fail with.
var cErrnos = map[int]syscall.Errno{
	int(C.EACCES):        syscall.EACCES,
	int(C.EADDRINUSE):    syscall.EADDRINUSE,
	int(C.EADDRNOTAVAIL): syscall.EADDRNOTAVAIL,
	int(C.EAGAIN):        syscall.EAGAIN,
	int(C.ECONNABORTED):  syscall.ECONNABORTED,
	int(C.ECONNREFUSED):  syscall.ECONNREFUSED,
	int(C.ECONNRESET):    syscall.ECONNRESET,
	int(C.EHOSTUNREACH):  syscall.EHOSTUNREACH,
	int(C.EINVAL):        syscall.EINVAL,
	int(C.EIO):           syscall.EIO,
	int(C.EISDIR):        syscall.EISDIR,
	int(C.EMFILE):        syscall.EMFILE,
	int(C.ENETDOWN):      syscall.ENETDOWN,
	int(C.ENETUNREACH):   syscall.ENETUNREACH,
	int(C.ENOENT):        syscall.ENOENT,
	int(C.ENOMEM):        syscall.ENOMEM,
	int(C.ENOSPC):        syscall.ENOSPC,
	int(C.ENOTCONN):      syscall.ENOTCONN,
	int(C.ENOTDIR):       syscall.ENOTDIR,
	int(C.EPERM):         syscall.EPERM,
	int(C.EPIPE):         syscall.EPIPE,
	int(C.ETIMEDOUT):     syscall.ETIMEDOUT,
}
