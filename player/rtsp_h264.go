package player

import (
	"bytes"
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
	dec *rtph264.Decoder
	// The latest SPS and PPS: the SDP's at first, then any the camera sends
	// in band, so that after a resolution change a keyframe that comes
	// without them gets the new ones, not the SDP's stale pair.
	sps, pps []byte
}

func newH264Depacketizer(f *format.H264) (*h264Depacketizer, error) {
	dec, err := f.CreateDecoder()
	if err != nil {
		return nil, err
	}
	sps, pps := f.SafeParams()
	return &h264Depacketizer{dec: dec, sps: sps, pps: pps}, nil
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

// withParams remembers the parameter sets in nalus and puts the latest ones
// in front of a random-access unit that lacks them: many cameras send them
// only in the SDP, and the decoder cannot start without them.
func (d *h264Depacketizer) withParams(nalus [][]byte, key bool) [][]byte {
	hasSPS, hasPPS := false, false
	for _, n := range nalus {
		switch h264.NALUType(n[0] & 0x1f) {
		case h264.NALUTypeSPS:
			hasSPS, d.sps = true, bytes.Clone(n)
		case h264.NALUTypePPS:
			hasPPS, d.pps = true, bytes.Clone(n)
		}
	}
	if !key {
		return nalus
	}
	var pre [][]byte
	if !hasSPS && d.sps != nil {
		pre = append(pre, d.sps)
	}
	if !hasPPS && d.pps != nil {
		pre = append(pre, d.pps)
	}
	if len(pre) == 0 {
		return nalus
	}
	return append(pre, nalus...)
}

// nonEmpty drops empty NAL units, which carry nothing and whose
// header byte cannot be read.
func nonEmpty(nalus [][]byte) [][]byte {
	out := nalus[:0]
	for _, n := range nalus {
		if len(n) > 0 {
			out = append(out, n)
		}
	}
	return out
}
