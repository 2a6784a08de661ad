package rtsp

import (
	"errors"
	"fmt"

	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtpmjpeg"
	"github.com/pion/rtp"

	"github.com/camwall/camwall/decoder"
)

// mjpegDepacketizer rebuilds one JPEG per frame from RTP/JPEG (RFC 2435).
type mjpegDepacketizer struct {
	dec *rtpmjpeg.Decoder
}

func newMJPEGDepacketizer(f *format.MJPEG) (*mjpegDepacketizer, error) {
	dec, err := f.CreateDecoder()
	if err != nil {
		return nil, err
	}
	return &mjpegDepacketizer{dec: dec}, nil
}

func (*mjpegDepacketizer) codec() decoder.Codec { return decoder.MJPEG }

// decode returns complete JPEGs; every one is a keyframe, decoded when it
// is shown, since a JPEG refers to no other picture.
func (d *mjpegDepacketizer) decode(pkt *rtp.Packet, pts int64) ([]byte, int64, bool, error) {
	jpeg, err := d.dec.Decode(pkt)
	if err != nil {
		if errors.Is(err, rtpmjpeg.ErrMorePacketsNeeded) || errors.Is(err, rtpmjpeg.ErrNonStartingPacketAndNoPrevious) {
			return nil, 0, false, nil
		}
		return nil, 0, false, fmt.Errorf("MJPEG depacketize: %w", err)
	}
	return jpeg, pts, true, nil
}
