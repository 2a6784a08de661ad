package player

import (
	"errors"
	"fmt"

	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/pion/rtp"

	"github.com/camwall/camwall/decoder"
)

// h264Depacketizer reassembles H.264 access units (RFC 6184).
type h264Depacketizer struct {
	dec    *rtph264.Decoder
	params paramSets
}

func newH264Depacketizer(f *format.H264) (*h264Depacketizer, error) {
	dec, err := f.CreateDecoder()
	if err != nil {
		return nil, err
	}
	sps, pps := f.SafeParams()
	return &h264Depacketizer{dec: dec, params: h264Params(sps, pps)}, nil
}

func (*h264Depacketizer) codec() decoder.Codec { return decoder.H264 }

func (d *h264Depacketizer) decode(pkt *rtp.Packet) ([]byte, bool, error) {
	nalus, err := d.dec.Decode(pkt)
	if err != nil {
		if errors.Is(err, rtph264.ErrMorePacketsNeeded) || errors.Is(err, rtph264.ErrNonStartingPacketAndNoPrevious) {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("H.264 depacketize: %w", err)
	}
	nalus = nonEmpty(nalus)
	if len(nalus) == 0 {
		return nil, false, nil
	}
	key := h264.IsRandomAccess(nalus)
	nalus = d.withParams(nalus, key)
	return decoder.AnnexB(nalus, nil), key, nil
}

// withParams puts the latest SPS and PPS in front of a keyframe lacking them.
func (d *h264Depacketizer) withParams(nalus [][]byte, key bool) [][]byte {
	return d.params.apply(nalus, key)
}
