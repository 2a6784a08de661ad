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
}

// inputKinds are the inputs camwall reads through FFmpeg, as the README
// lists them: MPEG-TS over UDP and TCP, multipart MJPEG (and MPEG-TS) over
// HTTP, files of every kind camwall records or a camera stand-in is likely
// to be. The demuxers are FFmpeg's names: mov reads MP4, mpjpeg multipart
// MJPEG, mjpeg bare JPEGs.
var inputKinds = []inputKind{
	{"udp", "udp", "mpegts,h264,hevc", "MPEG-TS or raw H.264/H.265"},
	{"tcp", "tcp", "mpegts,h264,hevc,mjpeg,mpjpeg", "MPEG-TS, raw H.264/H.265 or MJPEG"},
	{"http", "http,tcp", "mpjpeg,mjpeg,mpegts,h264,hevc", "multipart MJPEG, MPEG-TS or raw H.264/H.265"},
	{"file", "file", "mpegts,mov,matroska,h264,hevc,mjpeg,mpjpeg", "MPEG-TS, MP4, Matroska, raw H.264/H.265 or MJPEG"},
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
	if m := protocolRefused.FindStringSubmatch(msg); m != nil {
		if k.protocols == "none" {
			return fmt.Errorf("open %s: %w: camwall does not read %s: inputs", name, ErrProtocolNotAllowed, k.scheme)
		}
		return fmt.Errorf("open %s: %w: it needs FFmpeg's %s protocol, and a %s:// input may use only %s",
			name, ErrProtocolNotAllowed, m[1], k.scheme, k.protocols)
	}
	if strings.HasPrefix(msg, "Format not on whitelist") {
		return fmt.Errorf("open %s: %w: camwall reads %s from a %s:// input, and this is something else",
			name, ErrFormatNotAllowed, k.shown, k.scheme)
	}
	return nil
}
