package player

import (
	"bytes"
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
	dec *rtph265.Decoder
	// The latest VPS, SPS and PPS, from the SDP and then in band; see
	// h264Depacketizer.
	vps, sps, pps []byte
}

func newH265Depacketizer(f *format.H265) (*h265Depacketizer, error) {
	dec, err := f.CreateDecoder()
	if err != nil {
		return nil, err
	}
	vps, sps, pps := f.SafeParams()
	return &h265Depacketizer{dec: dec, vps: vps, sps: sps, pps: pps}, nil
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

// withParams remembers the parameter sets in nalus and puts the latest ones
// in front of a random-access unit that lacks them.
func (d *h265Depacketizer) withParams(nalus [][]byte, key bool) [][]byte {
	hasVPS, hasSPS, hasPPS := false, false, false
	for _, n := range nalus {
		switch h265.NALUType((n[0] >> 1) & 0b111111) {
		case h265.NALUType_VPS_NUT:
			hasVPS, d.vps = true, bytes.Clone(n)
		case h265.NALUType_SPS_NUT:
			hasSPS, d.sps = true, bytes.Clone(n)
		case h265.NALUType_PPS_NUT:
			hasPPS, d.pps = true, bytes.Clone(n)
		}
	}
	if !key {
		return nalus
	}
	var pre [][]byte
	if !hasVPS && d.vps != nil {
		pre = append(pre, d.vps)
	}
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
