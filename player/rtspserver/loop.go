package rtspserver

import (
	"fmt"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
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
	// Audio, if not nil, is sent beside the video as a second media (RTP
	// MPEG-4 Audio, RFC 3640), on the video's clock: see AudioClip.
	Audio *AudioClip
	// Pairs sends the frames two at a time, every second frame period, as
	// relays and Wi-Fi deliver them: the same rate and the same evenly
	// spaced RTP timestamps, only the send times bunched. False (the
	// default) sends each frame in its own period.
	Pairs bool
}

// AudioClip is an AAC track that Loop sends with a clip's video. It loops
// by its own length, timed from the instant the video loop starts: frame n
// of the loop is due n×1024 samples after the video's first frame, and goes
// out with the first video frame that is not earlier. A clip whose audio
// lasts as long as its video (see ParseADTS) stays in step with it at the
// loop point too. The loop starts Offset video frames' worth of time into
// the audio, as the video does.
type AudioClip struct {
	// Config is the AAC configuration the SDP carries.
	Config *mpeg4audio.AudioSpecificConfig
	// Frames are raw AAC access units (no ADTS headers) of 1024 samples
	// each, in order.
	Frames [][]byte
}

// audioPayloadType is the RTP payload type of a clip's audio.
const audioPayloadType = 97

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
	medias := []*description.Media{medi}
	var snd *audioLoop
	if clip.Audio != nil {
		if snd, err = s.newAudioLoop(clip); err != nil {
			return err
		}
		medias = append(medias, snd.media)
	}
	st, err := s.Publish(name, &description.Session{Medias: medias})
	if err != nil {
		return err
	}
	s.loops.Add(1)
	go s.loop(st, medi, clip, encode, snd)
	return nil
}

func (s *Server) loop(st *gortsplib.ServerStream, medi *description.Media, clip Clip, encode func([][]byte) ([]*rtp.Packet, error), snd *audioLoop) {
	defer s.loops.Done()
	step := uint32(clip.Format.ClockRate() / clip.FPS)
	tick := time.NewTicker(time.Second / time.Duration(clip.FPS))
	defer tick.Stop()
	var ts uint32
	for k, i := 0, clip.Offset; ; k, i = k+1, i+1 {
		if !clip.Pairs || k%2 == 0 {
			select {
			case <-s.stop:
				return
			case <-tick.C:
			}
		}
		if clip.Pairs && k%2 == 0 {
			// The even frame waits a period for the odd one and goes out
			// with it: the second tick of the pair is taken now.
			select {
			case <-s.stop:
				return
			case <-tick.C:
			}
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
		if snd != nil {
			if err := snd.send(st, k, clip.FPS, now); err != nil {
				s.Logger.Error(s.who+": packetize audio", "err", err)
				return
			}
		}
	}
}

// audioLoop sends a clip's AudioClip.
type audioLoop struct {
	s      *Server
	media  *description.Media
	enc    func([][]byte) ([]*rtp.Packet, error)
	frames [][]byte
	rate   int
	first  int // the frame the loop starts at
	n      int // frames sent so far
}

func (s *Server) newAudioLoop(clip Clip) (*audioLoop, error) {
	a := clip.Audio
	if a.Config == nil || a.Config.SampleRate <= 0 {
		return nil, fmt.Errorf("%s: the clip's audio has no AAC configuration", s.who)
	}
	if len(a.Frames) == 0 {
		return nil, fmt.Errorf("%s: the clip's audio is empty", s.who)
	}
	f := &format.MPEG4Audio{PayloadTyp: audioPayloadType, Config: a.Config, SizeLength: 13, IndexLength: 3, IndexDeltaLength: 3}
	enc, err := f.CreateEncoder()
	if err != nil {
		return nil, fmt.Errorf("%s: AAC packetizer: %w", s.who, err)
	}
	// Start as far into the audio as the video starts into its clip.
	first := int(int64(clip.Offset) * int64(a.Config.SampleRate) / (int64(clip.FPS) * mpeg4audio.SamplesPerAccessUnit))
	return &audioLoop{
		s: s, media: &description.Media{Type: description.MediaTypeAudio, Formats: []format.Format{f}},
		enc: enc.Encode, frames: a.Frames, rate: a.Config.SampleRate, first: first % len(a.Frames),
	}, nil
}

// send writes the audio frames due by the video loop's frame k (k/fps
// seconds after its first), which went out at now: every frame n with
// n×1024/rate ≤ k/fps. Its RTP time is n×1024 (samples since the loop's
// start) and its capture time that much after the first video frame's.
func (a *audioLoop) send(st *gortsplib.ServerStream, k, fps int, now time.Time) error {
	spf := int64(mpeg4audio.SamplesPerAccessUnit)
	for int64(a.n)*spf*int64(fps) <= int64(k)*int64(a.rate) {
		pkts, err := a.enc([][]byte{a.frames[(a.first+a.n)%len(a.frames)]})
		if err != nil {
			return err
		}
		// How long before video frame k this audio frame is due.
		early := time.Duration(int64(k)*int64(time.Second)/int64(fps) - int64(a.n)*spf*int64(time.Second)/int64(a.rate))
		for _, p := range pkts {
			p.Timestamp = uint32(int64(a.n) * spf)
			if err := st.WritePacketRTPWithNTP(a.media, p, now.Add(-early)); err != nil {
				a.s.Logger.Debug(a.s.who+": write audio", "err", err)
			}
		}
		a.n++
	}
	return nil
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
