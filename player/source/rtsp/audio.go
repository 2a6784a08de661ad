package rtsp

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtpmpeg4audio"
	"github.com/pion/rtp"

	"github.com/camwall/camwall/player/source"
)

// audioTrack is the camera's audio, received for recordings only: nothing
// decodes it.
type audioTrack struct {
	media  *description.Media
	format format.Format
	info   source.Audio
	// frames returns the codec frames pkt completes.
	frames func(pkt *rtp.Packet) ([][]byte, error)
	// samples is how many samples one frame holds, for the time of each
	// frame in a packet that carries several (AAC); 0 when a packet holds
	// one frame.
	samples int
}

// pickAudio takes the first audio format the camera offers that camwall
// records, or nil.
func pickAudio(desc *description.Session) (*audioTrack, error) {
	for _, m := range desc.Medias {
		if m.Type != description.MediaTypeAudio {
			continue
		}
		for _, f := range m.Formats {
			t := &audioTrack{media: m, format: f}
			switch f := f.(type) {
			case *format.MPEG4Audio:
				if f.Config == nil {
					continue
				}
				cfg, err := f.Config.Marshal()
				if err != nil {
					return nil, fmt.Errorf("read the AAC configuration: %w", err)
				}
				dec, err := f.CreateDecoder()
				if err != nil {
					return nil, fmt.Errorf("set up the AAC depacketizer: %w", err)
				}
				t.info = source.Audio{Codec: source.AudioAAC, SampleRate: f.Config.SampleRate, Channels: f.Config.ChannelCount, Config: cfg}
				t.frames, t.samples = dec.Decode, 1024
			case *format.Opus:
				dec, err := f.CreateDecoder()
				if err != nil {
					return nil, fmt.Errorf("set up the Opus depacketizer: %w", err)
				}
				t.info = source.Audio{Codec: source.AudioOpus, SampleRate: 48000, Channels: max(f.ChannelCount, 1)}
				t.frames = one(dec.Decode)
			case *format.G711:
				dec, err := f.CreateDecoder()
				if err != nil {
					return nil, fmt.Errorf("set up the G.711 depacketizer: %w", err)
				}
				codec := source.AudioPCMA
				if f.MULaw {
					codec = source.AudioPCMU
				}
				t.info = source.Audio{Codec: codec, SampleRate: f.SampleRate, Channels: max(f.ChannelCount, 1)}
				t.frames = one(dec.Decode)
			default:
				continue
			}
			return t, nil
		}
	}
	return nil, nil
}

// one adapts a depacketizer that completes one frame per packet.
func one(decode func(*rtp.Packet) ([]byte, error)) func(*rtp.Packet) ([][]byte, error) {
	return func(pkt *rtp.Packet) ([][]byte, error) {
		b, err := decode(pkt)
		if err != nil {
			return nil, err
		}
		return [][]byte{b}, nil
	}
}

// receiveAudio hands the audio track's frames to sink, on gortsplib's
// reader goroutine under g, with times on the video's 90 kHz clock.
func receiveAudio(c *gortsplib.Client, t *audioTrack, sink source.Sink, g *guard) {
	log := sink.Log()
	rate := int64(t.format.ClockRate())
	c.OnPacketRTP(t.media, t.format, func(pkt *rtp.Packet) { g.run(func() { receiveAudioPacket(c, t, sink, pkt, log, rate) }) })
}

// receiveAudioPacket handles one audio packet.
func receiveAudioPacket(c *gortsplib.Client, t *audioTrack, sink source.Sink, pkt *rtp.Packet, log *slog.Logger, rate int64) {
	pts, ok := c.PacketPTS2(t.media, pkt)
	if !ok {
		return
	}
	frames, err := t.frames(pkt)
	if err != nil {
		if !errors.Is(err, rtpmpeg4audio.ErrMorePacketsNeeded) {
			log.Debug("audio depacketize", "codec", string(t.info.Codec), "err", err)
		}
		return
	}
	for i, f := range frames {
		at := (pts + int64(i*t.samples)) * 90000 / rate
		sink.DeliverAudio(source.Unit{Data: f, PTS: at, DTS: at, Key: true})
	}
}
