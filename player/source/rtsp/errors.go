package rtsp

import (
	"crypto/tls"
	"errors"
	"fmt"

	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/liberrors"

	"github.com/camwall/camwall/player/source"
)

// ReasonWrongPassword is what a camera that refuses the credentials shows.
const ReasonWrongPassword = "wrong user name or password (RTSP 401)"

// explain words what an RTSP attempt returned: the camera's status codes,
// gortsplib's timeouts and the TLS handshake's failures; the network's own
// failures are source.Explain's.
func explain(err error) *source.Error {
	var e *source.Error
	if errors.As(err, &e) {
		return e
	}
	if e := explainTLS(err); e != nil {
		return e
	}
	var local *udpUnavailableError
	if errors.As(err, &local) {
		// Only with transport udp: the automatic one goes on over TCP.
		return &source.Error{Reason: local.Error() + ": set the camera's transport to auto or tcp", Err: err}
	}
	var bad liberrors.ErrClientBadStatusCode
	switch {
	case errors.As(err, &bad):
		switch bad.Code {
		case base.StatusNotFound:
			return &source.Error{Reason: "stream not found (RTSP 404): check the path in the URL", Fleeting: true, Err: err}
		case base.StatusUnauthorized:
			return &source.Error{Reason: ReasonWrongPassword, SlowRetry: true, Err: err}
		case base.StatusForbidden:
			return &source.Error{Reason: "access denied by the camera (RTSP 403)", SlowRetry: true, Err: err}
		case base.StatusSessionNotFound, base.StatusServiceUnavailable:
			return &source.Error{Reason: fmt.Sprintf("camera answered RTSP %d %s", bad.Code, bad.Message), Fleeting: true, Err: err}
		default:
			return &source.Error{Reason: fmt.Sprintf("camera answered RTSP %d %s", bad.Code, bad.Message), Err: err}
		}
	case errors.As(err, new(liberrors.ErrClientTCPTimeout)), errors.As(err, new(liberrors.ErrClientUDPTimeout)),
		errors.As(err, new(liberrors.ErrClientRequestTimedOut)):
		return &source.Error{Reason: source.ReasonTimedOut, Fleeting: true, Err: err}
	}
	return source.Explain(err)
}

// explainTLS words the failures of an rtsps:// handshake, or returns nil.
// The certificate's fingerprint is part of the reason: it is what the user
// pins (Config.Fingerprint) to trust a camera's self-signed certificate.
func explainTLS(err error) *source.Error {
	var mismatch *fingerprintError
	if errors.As(err, &mismatch) {
		return &source.Error{Reason: "TLS certificate fingerprint mismatch: the camera presented " + mismatch.got +
			" (if its certificate was renewed on purpose, set that fingerprint)", SlowRetry: true, Err: err}
	}
	var verr *tls.CertificateVerificationError
	if errors.As(err, &verr) {
		fp := "(no certificate)"
		if len(verr.UnverifiedCertificates) > 0 {
			fp = certFingerprint(verr.UnverifiedCertificates[0].Raw)
		}
		return &source.Error{Reason: certProblem(verr.Err) + ": to trust this camera, set its fingerprint to " + fp,
			SlowRetry: true, Err: err}
	}
	var rec tls.RecordHeaderError
	if errors.As(err, &rec) {
		return &source.Error{Reason: "the camera does not speak TLS on this port: use rtsp:// or the camera's RTSPS port",
			SlowRetry: true, Err: err}
	}
	return nil
}
