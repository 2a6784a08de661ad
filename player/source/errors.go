package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
)

// Error is a failure in words a user can act on, shown on the tile and
// printed by the CLI. Err keeps the cause for logs and errors.Is.
type Error struct {
	Reason string
	// Permanent errors come from the configuration; retrying cannot help.
	Permanent bool
	// SlowRetry errors will not go away by themselves (wrong password, an
	// untrusted certificate, a redirect not followed, a codec camwall does
	// not play): the session's attempts climb a ladder of long waits
	// (player.SlowRetryLadder), so that a camera is not hammered, and an
	// account is not locked by a burst of failed logins.
	SlowRetry bool
	// Fleeting errors are a server that answered that the stream is not
	// there for now (404, 454, 503, a closed connection), or a connection
	// that went silent (timed out): a camera rebooting behind a relay, a
	// server up before its paths, a network that dropped for a moment.
	// Shortly after the camera was live they are retried quickly; a silent
	// camera is not hammered, since each such attempt itself waits the read
	// timeout.
	Fleeting bool
	Err      error
}

func (e *Error) Error() string { return e.Reason }
func (e *Error) Unwrap() error { return e.Err }

// Sentinel causes, for errors.Is.
var (
	ErrBadURL            = errors.New("invalid camera URL")
	ErrUnsupportedCodec  = errors.New("unsupported codec")
	ErrNoVideo           = errors.New("no video stream")
	ErrUnsupportedScheme = errors.New("unsupported URL scheme")
	ErrBadFingerprint    = errors.New("invalid certificate fingerprint")
)

// ErrClosed ends an attempt that its context cancelled.
var ErrClosed = errors.New("session closed")

// Reasons shown for the failures tests and users most often see; sources
// compare against them to word a failure in their own terms.
const (
	ReasonTimedOut = "camera stopped answering (timed out)"
	ReasonClosed   = "camera closed the connection"
)

// Cause is what a log line shows next to the reason: for an *Error, the
// error underneath (its own text is the reason).
func Cause(err error) error {
	var e *Error
	if errors.As(err, &e) && e.Err != nil {
		return e.Err
	}
	return err
}

// Explain turns whatever an attempt returned into an *Error: the one it
// carries, or the network failure worded.
func Explain(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var dns *net.DNSError
	var nerr net.Error
	switch {
	case errors.As(err, &dns):
		return &Error{Reason: fmt.Sprintf("host %q not found", dns.Name), Err: err}
	case errors.Is(err, syscall.ECONNREFUSED):
		return &Error{Reason: "connection refused: nothing listens on that port", Err: err}
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return &Error{Reason: "camera unreachable: no route to host", Err: err}
	case errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &nerr) && nerr.Timeout():
		return &Error{Reason: ReasonTimedOut, Fleeting: true, Err: err}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE):
		return &Error{Reason: ReasonClosed, Fleeting: true, Err: err}
	default:
		return &Error{Reason: err.Error(), Err: err}
	}
}

// Unreachable reports whether err says the camera's port could not be
// connected to at all, as opposed to a camera that answered and failed. A
// name that does not resolve does not count: probing it would be a DNS
// query every probe, for a typo more often than for a camera coming back.
func Unreachable(err error) bool {
	var op *net.OpError
	var dns *net.DNSError
	return errors.As(err, &op) && op.Op == "dial" && !errors.As(err, &dns)
}
