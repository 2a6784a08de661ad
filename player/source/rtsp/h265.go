package player

import (
	"errors"
	"fmt"

	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph265"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
	"github.com/pion/rtp"

	"github.com/camwall/camwall/decoder"
)

// h265Depacketizer reassembles H.265 access units (RFC 7798).
type h265Depacketizer struct {
	dec    *rtph265.Decoder
	params paramSets
}

func newH265Depacketizer(f *format.H265) (*h265Depacketizer, error) {
	dec, err := f.CreateDecoder()
	if err != nil {
		return nil, err
	}
	vps, sps, pps := f.SafeParams()
	return &h265Depacketizer{dec: dec, params: h265Params(vps, sps, pps)}, nil
}

func (*h265Depacketizer) codec() decoder.Codec { return decoder.H265 }

func (d *h265Depacketizer) decode(pkt *rtp.Packet) ([]byte, bool, error) {
	nalus, err := d.dec.Decode(pkt)
	if err != nil {
		if errors.Is(err, rtph265.ErrMorePacketsNeeded) || errors.Is(err, rtph265.ErrNonStartingPacketAndNoPrevious) {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("H.265 depacketize: %w", err)
	}
	nalus = nonEmpty(nalus)
	if len(nalus) == 0 {
		return nil, false, nil
	}
	key := h265.IsRandomAccess(nalus)
	nalus = d.withParams(nalus, key)
	return decoder.AnnexB(nalus, nil), key, nil
}

// withParams puts the latest VPS, SPS and PPS in front of a keyframe
// lacking them.
func (d *h265Depacketizer) withParams(nalus [][]byte, key bool) [][]byte {
	return d.params.apply(nalus, key)
}
