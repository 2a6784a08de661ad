package rtsp

import (
	"errors"
	"fmt"

	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph264"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph265"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
	"github.com/pion/rtp"

	"github.com/camwall/camwall/decoder"
)

// nalDepacketizer reassembles the access units of a NAL-unit codec: H.264
// (RFC 6184) and H.265 (RFC 7798) differ only in their RTP decoder, what
// counts as a random-access unit and which parameter sets they have.
type nalDepacketizer struct {
	c decoder.Codec
	// rtp returns the NAL units pkt completes; morePackets tells its
	// "not yet" errors from real ones.
	rtp          func(pkt *rtp.Packet) ([][]byte, error)
	morePackets  func(error) bool
	randomAccess func(nalus [][]byte) bool
	params       paramSets
	// newDTS starts a decoding-time extractor, which reads the order of
	// pictures from the bitstream (RTP carries only presentation times);
	// dts is the running one, nil until a random-access unit starts it.
	newDTS func() dtsExtractor
	dts    dtsExtractor
}

// dtsExtractor is mediacommon's h264.DTSExtractor or h265.DTSExtractor.
type dtsExtractor interface {
	Extract(au [][]byte, pts int64) (int64, error)
}

func newH264Depacketizer(f *format.H264) (*nalDepacketizer, error) {
	dec, err := f.CreateDecoder()
	if err != nil {
		return nil, err
	}
	sps, pps := f.SafeParams()
	return &nalDepacketizer{
		c:   decoder.H264,
		rtp: dec.Decode,
		morePackets: func(err error) bool {
			return errors.Is(err, rtph264.ErrMorePacketsNeeded) || errors.Is(err, rtph264.ErrNonStartingPacketAndNoPrevious)
		},
		randomAccess: h264.IsRandomAccess,
		params:       h264Params(sps, pps),
		newDTS: func() dtsExtractor {
			var d h264.DTSExtractor
			d.Initialize()
			return &d
		},
	}, nil
}

func newH265Depacketizer(f *format.H265) (*nalDepacketizer, error) {
	dec, err := f.CreateDecoder()
	if err != nil {
		return nil, err
	}
	vps, sps, pps := f.SafeParams()
	return &nalDepacketizer{
		c:   decoder.H265,
		rtp: dec.Decode,
		morePackets: func(err error) bool {
			return errors.Is(err, rtph265.ErrMorePacketsNeeded) || errors.Is(err, rtph265.ErrNonStartingPacketAndNoPrevious)
		},
		randomAccess: h265.IsRandomAccess,
		params:       h265Params(vps, sps, pps),
		newDTS: func() dtsExtractor {
			var d h265.DTSExtractor
			d.Initialize()
			return &d
		},
	}, nil
}

func (d *nalDepacketizer) codec() decoder.Codec { return d.c }

// decode returns Annex-B access units, with the latest parameter sets put
// in front of a keyframe that lacks them, and their decoding times. A unit
// whose decoding time cannot be worked out (the stream broke off in the
// middle of a group of pictures) gets its presentation time instead, and
// the extractor starts again at the next random-access unit; the
// recording keeps decoding times increasing whatever comes.
func (d *nalDepacketizer) decode(pkt *rtp.Packet, pts int64) ([]byte, int64, bool, error) {
	nalus, err := d.rtp(pkt)
	if err != nil {
		if d.morePackets(err) {
			return nil, 0, false, nil
		}
		return nil, 0, false, fmt.Errorf("%s depacketize: %w", d.c, err)
	}
	nalus = nonEmpty(nalus)
	if len(nalus) == 0 {
		return nil, 0, false, nil
	}
	key := d.randomAccess(nalus)
	nalus = d.params.apply(nalus, key)
	if key && d.dts == nil {
		d.dts = d.newDTS()
	}
	dts := pts
	if d.dts != nil {
		if dts, err = d.dts.Extract(nalus, pts); err != nil {
			d.dts, dts = nil, pts
			err = fmt.Errorf("%s decoding time: %w", d.c, err)
		}
	}
	return decoder.AnnexB(nalus, nil), dts, key, err
}
