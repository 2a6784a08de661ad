package player

import (
	"context"
	"errors"
	"fmt"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/pion/rtp"

	"github.com/camwall/camwall/decoder"
)

// rtspSource receives a camera over RTSP with gortsplib's client.
type rtspSource struct{}

func (rtspSource) play(ctx context.Context, s *Session) error {
	u, err := base.ParseURL(s.cfg.URL)
	if err != nil {
		return &Error{Reason: "invalid camera URL: " + Redact(s.cfg.URL), Permanent: true, Err: errors.Join(ErrBadURL, err)}
	}
	c := &gortsplib.Client{
		Scheme:      u.Scheme,
		Host:        u.Host,
		ReadTimeout: s.cfg.ReadTimeout,
		// gortsplib logs through the standard logger by default; route its
		// events into this camera's log instead.
		OnPacketsLost: func(n uint64) { s.log.Debug("RTP packets lost", "count", n) },
		OnDecodeError: func(err error) { s.log.Debug("RTP decode error", "err", err) },
		OnTransportSwitch: func(err error) {
			s.log.Info("switching RTSP transport", "reason", err)
		},
	}
	switch s.cfg.Transport {
	case TransportTCP:
		t := gortsplib.TransportTCP
		c.Transport = &t
	case TransportUDP:
		t := gortsplib.TransportUDP
		c.Transport = &t
	}
	if err := c.Start2(); err != nil {
		return fmt.Errorf("connect %s: %w", Redact(s.cfg.URL), err)
	}
	defer c.Close()
	// The client's calls block on the network; closing it is how a
	// cancelled session interrupts a DESCRIBE or SETUP in flight.
	stop := context.AfterFunc(ctx, c.Close)
	defer stop()

	desc, _, err := c.Describe(u)
	if err != nil {
		return fmt.Errorf("describe %s: %w", Redact(s.cfg.URL), err)
	}
	var h264f *format.H264
	medi := desc.FindFormat(&h264f)
	if medi == nil {
		return &Error{Reason: "the camera offers no H.264 video: " + describeFormats(desc.Medias), Err: ErrUnsupportedCodec}
	}
	rtpDec, err := h264f.CreateDecoder()
	if err != nil {
		return fmt.Errorf("set up H.264 depacketizer: %w", err)
	}
	if _, err := c.Setup(desc.BaseURL, medi, 0, 0); err != nil {
		return fmt.Errorf("setup %s: %w", Redact(s.cfg.URL), err)
	}

	enq := newEnqueuer(&s.stats)
	// Runs on gortsplib's reader goroutine: depacketize and enqueue only.
	c.OnPacketRTP(medi, h264f, func(pkt *rtp.Packet) {
		// Every packet goes through the timestamp decoder, not just the last
		// of each access unit: it starts only on a packet that begins a
		// keyframe.
		pts, ok := c.PacketPTS2(medi, pkt)
		if !ok {
			return
		}
		nalus, err := rtpDec.Decode(pkt)
		if err != nil {
			if !errors.Is(err, rtph264.ErrMorePacketsNeeded) && !errors.Is(err, rtph264.ErrNonStartingPacketAndNoPrevious) {
				s.log.Debug("H.264 depacketize", "err", err)
			}
			return
		}
		ntp, _ := c.PacketNTP(medi, pkt)
		key := h264.IsRandomAccess(nalus)
		if key {
			nalus = withParams(nalus, h264f)
		}
		enq.push(accessUnit{data: decoder.AnnexB(nalus, nil), pts: pts, ntp: ntp, key: key})
	})

	if _, err := c.Play(nil); err != nil {
		return fmt.Errorf("play %s: %w", Redact(s.cfg.URL), err)
	}
	srcErr := make(chan error, 1)
	waited := make(chan struct{})
	go func() { srcErr <- c.Wait(); close(waited) }()
	err = s.decodeLoop(ctx, decoder.H264, enq.q, srcErr)
	c.Close()
	<-waited // no goroutine outlives the attempt
	return err
}

// withParams puts the SDP's SPS and PPS in front of a random-access unit that
// lacks them: many cameras send them only out of band, and the decoder cannot
// start without them.
func withParams(nalus [][]byte, f *format.H264) [][]byte {
	hasSPS, hasPPS := false, false
	for _, n := range nalus {
		switch h264.NALUType(n[0] & 0x1f) {
		case h264.NALUTypeSPS:
			hasSPS = true
		case h264.NALUTypePPS:
			hasPPS = true
		}
	}
	sps, pps := f.SafeParams()
	var pre [][]byte
	if !hasSPS && sps != nil {
		pre = append(pre, sps)
	}
	if !hasPPS && pps != nil {
		pre = append(pre, pps)
	}
	if len(pre) == 0 {
		return nalus
	}
	return append(pre, nalus...)
}

func describeFormats(medias []*description.Media) string {
	var out string
	for _, m := range medias {
		for _, f := range m.Formats {
			if out != "" {
				out += ", "
			}
			out += f.Codec()
		}
	}
	if out == "" {
		return "no media at all"
	}
	return out
}
