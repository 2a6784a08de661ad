package rtsp

import (
	"bytes"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
)

// paramSets keeps the latest parameter set of each kind a codec has: the
// SDP's at first, then any the camera sends in band, so that after a
// resolution change a keyframe that comes without them gets the new ones,
// not the SDP's stale ones. Many cameras send them only in the SDP, and the
// decoder cannot start without them.
type paramSets struct {
	// kind is the index in latest of a parameter-set NAL unit, -1 for any
	// other unit.
	kind   func(nalu []byte) int
	latest [][]byte
}

// h264Params: SPS and PPS.
func h264Params(sps, pps []byte) paramSets {
	return paramSets{latest: [][]byte{sps, pps}, kind: func(n []byte) int {
		switch h264.NALUType(n[0] & 0x1f) {
		case h264.NALUTypeSPS:
			return 0
		case h264.NALUTypePPS:
			return 1
		}
		return -1
	}}
}

// h265Params: VPS, SPS and PPS.
func h265Params(vps, sps, pps []byte) paramSets {
	return paramSets{latest: [][]byte{vps, sps, pps}, kind: func(n []byte) int {
		switch h265.NALUType((n[0] >> 1) & 0b111111) {
		case h265.NALUType_VPS_NUT:
			return 0
		case h265.NALUType_SPS_NUT:
			return 1
		case h265.NALUType_PPS_NUT:
			return 2
		}
		return -1
	}}
}

// apply remembers the parameter sets in nalus and puts the latest ones in
// front of a random-access unit that lacks them.
func (p *paramSets) apply(nalus [][]byte, key bool) [][]byte {
	var has [3]bool // H.265 has the most kinds
	for _, n := range nalus {
		if k := p.kind(n); k >= 0 {
			has[k], p.latest[k] = true, bytes.Clone(n)
		}
	}
	if !key {
		return nalus
	}
	var pre [][]byte
	for k, set := range p.latest {
		if !has[k] && set != nil {
			pre = append(pre, set)
		}
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
