package rtsp

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/camwall/camwall/player/source"
)

// parseFingerprint reads Config.Fingerprint: the SHA-256 of the camera's
// certificate as 64 hex digits, in any case, with or without colons (the
// form `openssl x509 -fingerprint -sha256` prints).
func parseFingerprint(s string) ([]byte, error) {
	h := strings.ReplaceAll(strings.TrimSpace(s), ":", "")
	b, err := hex.DecodeString(h)
	if err != nil || len(b) != sha256.Size {
		return nil, &source.Error{
			Reason:    fmt.Sprintf("invalid certificate fingerprint %q: want the SHA-256 of the camera's certificate, 64 hex digits", s),
			Permanent: true, Err: source.ErrBadFingerprint,
		}
	}
	return b, nil
}

// certFingerprint formats the SHA-256 of a DER certificate the way users
// paste it back into the configuration: upper case, colon-separated.
func certFingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	var b strings.Builder
	for i, c := range sum {
		if i > 0 {
			b.WriteByte(':')
		}
		fmt.Fprintf(&b, "%02X", c)
	}
	return b.String()
}

// fingerprintError is a pinned certificate that does not match.
type fingerprintError struct{ got string }

func (e *fingerprintError) Error() string {
	return "TLS certificate fingerprint mismatch: got " + e.got
}

// tlsConfig is the client configuration for rtsps://. Without a pin the
// certificate is verified by chain and host name as usual. With one, the
// leaf certificate's hash replaces that verification: cameras mostly have
// self-signed certificates that no chain can vouch for, and a pin is as
// strong as a CA for the one camera it names. Chain verification is only ever
// skipped together with that check.
func tlsConfig(pin []byte) *tls.Config {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if pin == nil {
		return cfg
	}
	cfg.InsecureSkipVerify = true
	cfg.VerifyPeerCertificate = func(rawCerts [][]byte, _ [][]*x509.Certificate) error {
		if len(rawCerts) == 0 {
			return errors.New("TLS: the camera sent no certificate")
		}
		sum := sha256.Sum256(rawCerts[0])
		if !bytes.Equal(sum[:], pin) {
			return &fingerprintError{got: certFingerprint(rawCerts[0])}
		}
		return nil
	}
	return cfg
}

// certProblem words why a certificate chain did not verify.
func certProblem(err error) string {
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.As(err, &unknown):
		return "TLS certificate not trusted (self-signed?)"
	case errors.As(err, &host):
		return "TLS certificate is for another host name (" + host.Error() + ")"
	case errors.As(err, &invalid):
		return "TLS certificate invalid (" + invalid.Error() + ")"
	default:
		return "TLS certificate not trusted (" + err.Error() + ")"
	}
}
