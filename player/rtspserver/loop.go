package rtsptest

import (
	"fmt"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/pion/rtp"
)

// Clip is a video that Loop sends over and over.
type Clip struct {
	// Format is *format.H264, *format.H265 or *format.MJPEG, with its payload
	// type (and, for H.264/H.265, any parameters the SDP is to carry).
	Format format.Format
	// AccessUnits in decoding order: the NAL units of each (H.264, H.265),
	// or a single JPEG each (MJPEG). The first must be a keyframe.
	AccessUnits [][][]byte
	// FPS the clip is sent at; it defaults to 30.
	FPS int
}

// Loop serves clip at path from inside the process until the server
// closes, with continuous RTP timestamps across the loop point and the wall
// clock as capture time.
func (s *Server) Loop(name string, clip Clip) error {
	if clip.FPS <= 0 {
		clip.FPS = 30
	}
	encode, err := encoder(clip.Format)
	if err != nil {
		return err
	}
	if len(clip.AccessUnits) == 0 {
		return fmt.Errorf("rtsptest: clip for %s is empty", name)
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
	for i := 0; ; i++ {
		select {
		case <-s.stop:
			return
		case <-tick.C:
		}
		pkts, err := encode(clip.AccessUnits[i%len(clip.AccessUnits)])
		if err != nil {
			s.Logger.Error("rtsptest: packetize", "err", err)
			return
		}
		now := time.Now()
		for _, p := range pkts {
			p.Timestamp = ts
			if err := st.WritePacketRTPWithNTP(medi, p, now); err != nil {
				s.Logger.Debug("rtsptest: write", "err", err)
			}
		}
		ts += step
	}
}

// encoder returns the RTP packetizer for f.
func encoder(f format.Format) (func([][]byte) ([]*rtp.Packet, error), error) {
	switch f := f.(type) {
	case *format.H264:
		enc, err := f.CreateEncoder()
		if err != nil {
			return nil, fmt.Errorf("rtsptest: H.264 packetizer: %w", err)
		}
		return enc.Encode, nil
	case *format.H265:
		enc, err := f.CreateEncoder()
		if err != nil {
			return nil, fmt.Errorf("rtsptest: H.265 packetizer: %w", err)
		}
		return enc.Encode, nil
	case *format.MJPEG:
		enc, err := f.CreateEncoder()
		if err != nil {
			return nil, fmt.Errorf("rtsptest: MJPEG packetizer: %w", err)
		}
		return func(au [][]byte) ([]*rtp.Packet, error) {
			if len(au) != 1 {
				return nil, fmt.Errorf("rtsptest: an MJPEG access unit is one JPEG, got %d parts", len(au))
			}
			return enc.Encode(au[0])
		}, nil
	default:
		return nil, fmt.Errorf("rtsptest: cannot packetize %s", f.Codec())
	}
}
