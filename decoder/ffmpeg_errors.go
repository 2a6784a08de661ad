package decoder

import "github.com/asticode/go-astiav"

// FFmpeg's own error codes that callers word for users, so that they can
// tell them apart with errors.Is without importing go-astiav. System errors
// (a file not found, a refused connection) match their syscall.Errno.
var (
	ErrHTTPNotFound     error = astiav.ErrHttpNotFound
	ErrHTTPUnauthorized error = astiav.ErrHttpUnauthorized
	ErrHTTPForbidden    error = astiav.ErrHttpForbidden
	ErrHTTPBadRequest   error = astiav.ErrHttpBadRequest
	ErrHTTPOther4xx     error = astiav.ErrHttpOther4Xx
	ErrHTTPServerError  error = astiav.ErrHttpServerError
	ErrInvalidData      error = astiav.ErrInvaliddata
	ErrProtocolNotFound error = astiav.ErrProtocolNotFound
	ErrDemuxerNotFound  error = astiav.ErrDemuxerNotFound
)
