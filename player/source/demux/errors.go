package demux

import (
	"errors"
	"syscall"

	"github.com/camwall/camwall/decoder"
	"github.com/camwall/camwall/player/source"
)

// explain words the failures of FFmpeg's demuxer (any-URL and GoPro
// inputs). Inputs that cannot get better by themselves (a missing file,
// a 404, a stream camwall cannot decode) retry slowly, as a wrong RTSP
// password does, so that a typo does not spin.
func explain(err error) *source.Error {
	var e *source.Error
	if errors.As(err, &e) {
		return e
	}
	slow := func(reason string) *source.Error { return &source.Error{Reason: reason, SlowRetry: true, Err: err} }
	var refused *decoder.RefusedError
	switch {
	case errors.As(err, &refused):
		return slow(refused.Error())
	case errors.Is(err, decoder.ErrUnsupportedCodec):
		return &source.Error{Reason: codecReason(err), SlowRetry: true, Err: errors.Join(source.ErrUnsupportedCodec, err)}
	case errors.Is(err, decoder.ErrNoVideo):
		return &source.Error{Reason: "the input has no video stream", SlowRetry: true, Err: errors.Join(source.ErrNoVideo, err)}
	case errors.Is(err, syscall.ENOENT):
		return slow("file not found")
	case errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM):
		return slow("permission denied: camwall may not read this input")
	case errors.Is(err, decoder.ErrHTTPNotFound):
		return slow("stream not found (HTTP 404): check the path in the URL")
	case errors.Is(err, decoder.ErrHTTPUnauthorized):
		return slow("the server asks for a user name and password (HTTP 401): put them in the URL, http://user:password@host/…")
	case errors.Is(err, decoder.ErrHTTPForbidden):
		return slow("access denied by the server (HTTP 403)")
	case errors.Is(err, decoder.ErrHTTPBadRequest), errors.Is(err, decoder.ErrHTTPOther4xx):
		return slow("the server refused the request (HTTP 4xx): check the URL")
	case errors.Is(err, decoder.ErrHTTPServerError):
		return &source.Error{Reason: "the server failed (HTTP 5xx)", Err: err}
	case errors.Is(err, decoder.ErrProtocolNotFound):
		return &source.Error{Reason: "camwall cannot open this kind of URL (it plays rtsp, rtsps, gopro, udp, tcp, http and file URLs)",
			Permanent: true, Err: errors.Join(source.ErrUnsupportedScheme, err)}
	case errors.Is(err, decoder.ErrInvalidData), errors.Is(err, decoder.ErrDemuxerNotFound):
		return slow("not a video stream camwall can read (invalid data)")
	case errors.Is(err, syscall.EADDRINUSE):
		return slow("the receive port is already in use: give each camera its own port")
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return slow("this computer has no such address to receive on")
	}
	return source.Explain(err)
}

// codecReason is the message of the error that names the codec, without the
// "open URL:" the demuxer puts in front: the tile already says which camera.
func codecReason(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil || next == decoder.ErrUnsupportedCodec {
			return err.Error()
		}
		err = next
	}
}
