package player

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
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
	// SlowRetry errors will not go away by themselves (wrong password, an
	// untrusted certificate, a codec camwall does not play): the next attempt
	// waits MaxBackoff, so that a camera is not hammered, and an account is
	// not locked by a burst of failed logins.
	SlowRetry bool
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
	ErrBadFingerprint    = errors.New("invalid certificate fingerprint")
)

// Reasons shown for the failures tests and users most often see.
const (
	reasonWrongPassword = "wrong user name or password (RTSP 401)"
	reasonTimedOut      = "camera stopped answering (timed out)"
	reasonClosed        = "camera closed the connection"
)

// cause is what a log line shows next to the reason: for an *Error, the
// error underneath (its own text is the reason).
func cause(err error) error {
	var e *Error
	if errors.As(err, &e) && e.Err != nil {
		return e.Err
	}
	return err
}

// explain turns whatever a connection attempt returned into an *Error.
func explain(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if e := explainTLS(err); e != nil {
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
			return &Error{Reason: reasonWrongPassword, SlowRetry: true, Err: err}
		case base.StatusForbidden:
			return &Error{Reason: "access denied by the camera (RTSP 403)", SlowRetry: true, Err: err}
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
		errors.As(err, &nerr) && nerr.Timeout(),
		errors.As(err, new(liberrors.ErrClientTCPTimeout)), errors.As(err, new(liberrors.ErrClientUDPTimeout)),
		errors.As(err, new(liberrors.ErrClientRequestTimedOut)):
		return &Error{Reason: reasonTimedOut, Err: err}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE):
		return &Error{Reason: reasonClosed, Err: err}
	default:
		return &Error{Reason: err.Error(), Err: err}
	}
}

// explainTLS words the failures of an rtsps:// handshake, or returns nil.
// The certificate's fingerprint is part of the reason: it is what the user
// pins (Config.Fingerprint) to trust a camera's self-signed certificate.
func explainTLS(err error) *Error {
	var mismatch *fingerprintError
	if errors.As(err, &mismatch) {
		return &Error{Reason: "TLS certificate fingerprint mismatch: the camera presented " + mismatch.got +
			" (if its certificate was renewed on purpose, set that fingerprint)", SlowRetry: true, Err: err}
	}
	var verr *tls.CertificateVerificationError
	if errors.As(err, &verr) {
		fp := "(no certificate)"
		if len(verr.UnverifiedCertificates) > 0 {
			fp = certFingerprint(verr.UnverifiedCertificates[0].Raw)
		}
		return &Error{Reason: certProblem(verr.Err) + ": to trust this camera, set its fingerprint to " + fp,
			SlowRetry: true, Err: err}
	}
	var rec tls.RecordHeaderError
	if errors.As(err, &rec) {
		return &Error{Reason: "the camera does not speak TLS on this port: use rtsp:// or the camera's RTSPS port",
			SlowRetry: true, Err: err}
	}
	return nil
}
