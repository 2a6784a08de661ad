package rtspserver

import (
	"fmt"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/pion/rtp"

	"github.com/camwall/camwall/assets"
)

// Clip is a video that Loop sends over and over.
type Clip struct {
	// Format is *format.H264, *format.H265 or *format.MJPEG, with its payload
	// type (and, for H.264/H.265, any parameters the SDP is to carry). It
	// defaults to H.264 with payload type 96 and packetization mode 1.
	Format format.Format
	// AccessUnits in decoding order: the NAL units of each (H.264, H.265),
	// or a single JPEG each (MJPEG). The first must be a keyframe.
	AccessUnits [][][]byte
	// FPS the clip is sent at; it defaults to 30.
	FPS int
	// Offset is the access unit the loop starts at (0: the first); after
	// the last it goes on from the first.
	Offset int
}

// DemoClip is the embedded demo clip (assets.DemoH264, 640x360 H.264) at its
// own frame rate.
func DemoClip() (Clip, error) {
	aus, err := assets.DemoAccessUnits()
	if err != nil {
		return Clip{}, err
	}
	return Clip{Format: h264(), AccessUnits: aus, FPS: assets.DemoClip.FPS}, nil
}

// h264 is the format a clip without one is sent as.
func h264() *format.H264 { return &format.H264{PayloadTyp: 96, PacketizationMode: 1} }

// Loop serves clip at path from inside the process until the server
// closes, with continuous RTP timestamps across the loop point and the wall
// clock as capture time.
func (s *Server) Loop(name string, clip Clip) error {
	if clip.FPS <= 0 {
		clip.FPS = 30
	}
	if clip.Format == nil {
		clip.Format = h264()
	}
	encode, err := s.encoder(clip.Format)
	if err != nil {
		return err
	}
	if len(clip.AccessUnits) == 0 {
		return fmt.Errorf("%s: clip for %s is empty", s.who, name)
	}
	medi := &description.Media{Type: description.MediaTypeVideo, Formats: []format.Format{clip.Format}}
	st, err := s.Publish(name, &description.Session{Medias: []*description.Media{medi}})
	if err != nil {
		return err
	}
	s.loops.Add(1)
	go s.loop(st, medi, clip, encode)
	return nil
}

func (s *Server) loop(st *gortsplib.ServerStream, medi *description.Media, clip Clip, encode func([][]byte) ([]*rtp.Packet, error)) {
	defer s.loops.Done()
	step := uint32(clip.Format.ClockRate() / clip.FPS)
	tick := time.NewTicker(time.Second / time.Duration(clip.FPS))
	defer tick.Stop()
	var ts uint32
	for i := clip.Offset; ; i++ {
		select {
		case <-s.stop:
			return
		case <-tick.C:
		}
		pkts, err := encode(clip.AccessUnits[i%len(clip.AccessUnits)])
		if err != nil {
			s.Logger.Error(s.who+": packetize", "err", err)
			return
		}
		now := time.Now()
		for _, p := range pkts {
			p.Timestamp = ts
			if err := st.WritePacketRTPWithNTP(medi, p, now); err != nil {
				s.Logger.Debug(s.who+": write", "err", err)
			}
		}
		ts += step
	}
}

// encoder returns the RTP packetizer for f.
func (s *Server) encoder(f format.Format) (func([][]byte) ([]*rtp.Packet, error), error) {
	switch f := f.(type) {
	case *format.H264:
		enc, err := f.CreateEncoder()
		if err != nil {
			return nil, fmt.Errorf("%s: H.264 packetizer: %w", s.who, err)
		}
		return enc.Encode, nil
	case *format.H265:
		enc, err := f.CreateEncoder()
		if err != nil {
			return nil, fmt.Errorf("%s: H.265 packetizer: %w", s.who, err)
		}
		return enc.Encode, nil
	case *format.MJPEG:
		enc, err := f.CreateEncoder()
		if err != nil {
			return nil, fmt.Errorf("%s: MJPEG packetizer: %w", s.who, err)
		}
		return func(au [][]byte) ([]*rtp.Packet, error) {
			if len(au) != 1 {
				return nil, fmt.Errorf("%s: an MJPEG access unit is one JPEG, got %d parts", s.who, len(au))
			}
			return enc.Encode(au[0])
		}, nil
	default:
		return nil, fmt.Errorf("%s: cannot packetize %s", s.who, f.Codec())
	}
}
