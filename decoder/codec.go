package decoder

import "github.com/asticode/go-astiav"

// Codec is a video codec camwall decodes.
type Codec int

// The codecs cameras send.
const (
	CodecUnknown Codec = iota
	H264
	H265
	MJPEG
)

func (c Codec) String() string {
	switch c {
	case H264:
		return "H.264"
	case H265:
		return "H.265"
	case MJPEG:
		return "MJPEG"
	default:
		return "unknown"
	}
}

func (c Codec) astiavID() (astiav.CodecID, bool) {
	switch c {
	case H264:
		return astiav.CodecIDH264, true
	case H265:
		return astiav.CodecIDHevc, true
	case MJPEG:
		return astiav.CodecIDMjpeg, true
	default:
		return 0, false
	}
}
