package player

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"

	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/liberrors"
)

// Error is a session failure in words a user can act on, shown on the tile
// and printed by the CLI. Err keeps the cause for logs and errors.Is.
type Error struct {
	Reason string
	// Permanent errors come from the configuration; retrying cannot help.
	Permanent bool
	Err       error
}

func (e *Error) Error() string { return e.Reason }
func (e *Error) Unwrap() error { return e.Err }

// Sentinel causes, for errors.Is.
var (
	ErrBadURL            = errors.New("invalid camera URL")
	ErrUnsupportedCodec  = errors.New("unsupported codec")
	ErrNoVideo           = errors.New("no video stream")
	ErrUnsupportedScheme = errors.New("unsupported URL scheme")
)

// explain turns whatever a connection attempt returned into an *Error.
func explain(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var bad liberrors.ErrClientBadStatusCode
	var dns *net.DNSError
	var nerr net.Error
	switch {
	case errors.As(err, &bad):
		switch bad.Code {
		case base.StatusNotFound:
			return &Error{Reason: "stream not found (RTSP 404): check the path in the URL", Err: err}
		case base.StatusUnauthorized:
			return &Error{Reason: "wrong user name or password (RTSP 401)", Err: err}
		case base.StatusForbidden:
			return &Error{Reason: "access denied by the camera (RTSP 403)", Err: err}
		default:
			return &Error{Reason: fmt.Sprintf("camera answered RTSP %d %s", bad.Code, bad.Message), Err: err}
		}
	case errors.As(err, &dns):
		return &Error{Reason: fmt.Sprintf("host %q not found", dns.Name), Err: err}
	case errors.Is(err, syscall.ECONNREFUSED):
		return &Error{Reason: "connection refused: nothing listens on that port", Err: err}
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return &Error{Reason: "camera unreachable: no route to host", Err: err}
	case errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &nerr) && nerr.Timeout():
		return &Error{Reason: "camera stopped answering (timed out)", Err: err}
	default:
		return &Error{Reason: err.Error(), Err: err}
	}
}
