package decoder

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Causes of an input refused by its kind's whitelists, for errors.Is.
var (
	// ErrProtocolNotAllowed: the input needs an FFmpeg protocol its kind
	// does not allow (inputKind).
	ErrProtocolNotAllowed = errors.New("protocol not allowed for this input")
	// ErrFormatNotAllowed: the input's data is in a container its kind
	// does not allow.
	ErrFormatNotAllowed = errors.New("format not allowed for this input")
)

// inputKind is what FFmpeg may use to read one kind of input: the protocols
// (FFmpeg's protocol_whitelist) and the demuxers (format_whitelist). Whatever
// the data says, a udp:// input is read by udp and MPEG-TS or raw H.264/H.265
// only, and never, say, as an SDP file that opens connections of its own.
type inputKind struct {
	scheme    string
	protocols string
	formats   string
	// shown names the formats for messages.
	shown string
	// options are further FFmpeg options the kind is opened with.
	options [][2]string
}

// inputKinds are the inputs camwall reads through FFmpeg, as the README
// lists them: MPEG-TS over UDP and TCP, multipart MJPEG (and MPEG-TS) over
// HTTP, files of every kind camwall records or a camera stand-in is likely
// to be. The demuxers are FFmpeg's names: mov reads MP4, mpjpeg multipart
// MJPEG, mjpeg bare JPEGs.
var inputKinds = []inputKind{
	{"udp", "udp", "mpegts,h264,hevc", "MPEG-TS or raw H.264/H.265", nil},
	{"tcp", "tcp", "mpegts,h264,hevc,mjpeg,mpjpeg", "MPEG-TS, raw H.264/H.265 or MJPEG", nil},
	// FFmpeg's http follows a redirect to any host (up to 8 of them), where
	// the next 401 would get the camera's password; camwall follows none
	// (the source says where the camera pointed).
	{"http", "http,tcp", "mpjpeg,mjpeg,mpegts,h264,hevc", "multipart MJPEG, MPEG-TS or raw H.264/H.265",
		[][2]string{{"max_redirects", "0"}}},
	{"file", "file", "mpegts,mov,matroska,h264,hevc,mjpeg,mpjpeg", "MPEG-TS, MP4, Matroska, raw H.264/H.265 or MJPEG", nil},
}

// kindOf is the kind of rawURL; a plain path is a file. Any other input
// (pipe:, rtp://, …) gets a kind that allows nothing, so FFmpeg refuses it.
func kindOf(rawURL string) inputKind {
	scheme, _, ok := strings.Cut(rawURL, ":")
	if !ok || !strings.Contains(rawURL, "://") && !strings.HasPrefix(strings.ToLower(rawURL), "file:") && !strings.HasPrefix(rawURL, "pipe:") {
		scheme = "file"
	}
	scheme = strings.ToLower(scheme)
	for _, k := range inputKinds {
		if k.scheme == scheme {
			return k
		}
	}
	// "none" names no protocol or demuxer.
	return inputKind{scheme: scheme, protocols: "none", formats: "none", shown: "nothing"}
}

var protocolRefused = regexp.MustCompile(`Protocol '([^']*)' not on whitelist`)

// refused turns the message FFmpeg logged when it refused an input by a
// whitelist into the error that says so; nil when msg is not such a refusal.
func (k inputKind) refused(name, msg string) error {
	var e *RefusedError
	m := protocolRefused.FindStringSubmatch(msg)
	switch {
	case k.protocols == "none" && (m != nil || strings.HasPrefix(msg, "Format not on whitelist")):
		// Whichever FFmpeg tried first for it (rtp:// has a demuxer of
		// its own), this is no kind of input camwall reads.
		e = &RefusedError{cause: ErrProtocolNotAllowed, msg: fmt.Sprintf("camwall does not read %s: inputs", k.scheme)}
	case m != nil:
		e = &RefusedError{cause: ErrProtocolNotAllowed,
			msg: fmt.Sprintf("the input needs FFmpeg's %s protocol, and a %s:// input may use only %s", m[1], k.scheme, k.protocols)}
	case strings.HasPrefix(msg, "Format not on whitelist"):
		e = &RefusedError{cause: ErrFormatNotAllowed,
			msg: fmt.Sprintf("camwall reads %s from a %s:// input, and this is something else", k.shown, k.scheme)}
	}
	if e == nil {
		return nil
	}
	return fmt.Errorf("open %s: %w", name, e)
}

// RefusedError is an input refused by its kind's whitelists, in words for
// the tile; errors.Is matches ErrProtocolNotAllowed or ErrFormatNotAllowed.
type RefusedError struct {
	cause error
	msg   string
}

func (e *RefusedError) Error() string        { return e.msg }
func (e *RefusedError) Is(target error) bool { return target == e.cause }
