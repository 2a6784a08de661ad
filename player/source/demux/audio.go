package demux

import (
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"

	"github.com/camwall/camwall/decoder"
	"github.com/camwall/camwall/player/source"
)

// audio turns the demuxer's audio packets into the sink's audio track. The
// track begins with the first packet whose configuration is known: from
// the container's header, or, for ADTS AAC (MPEG-TS), from the first
// frame's header, whose raw frames are what MP4 and Matroska hold.
type audio struct {
	info  decoder.AudioInfo
	begun bool
	adts  bool
	off   bool // the audio cannot be recorded: said once, then ignored
}

func (a *audio) deliver(p decoder.Packet, sink source.Sink) {
	if a.off {
		return
	}
	if !a.begun {
		if a.info.Codec == "aac" && len(a.info.Config) == 0 {
			var ps mpeg4audio.ADTSPackets
			if err := ps.Unmarshal(p.Data); err != nil || len(ps) == 0 {
				a.off = true
				sink.Log().Info("camera audio not recorded: AAC without its configuration", "err", err)
				return
			}
			cfg := mpeg4audio.AudioSpecificConfig{Type: ps[0].Type, SampleRate: ps[0].SampleRate, ChannelCount: ps[0].ChannelCount}
			b, err := cfg.Marshal()
			if err != nil {
				a.off = true
				sink.Log().Info("camera audio not recorded", "err", err)
				return
			}
			a.info.Config, a.info.SampleRate, a.info.Channels, a.adts = b, ps[0].SampleRate, ps[0].ChannelCount, true
		}
		if a.info.SampleRate <= 0 {
			a.off = true
			sink.Log().Info("camera audio not recorded: its sample rate is unknown", "codec", a.info.Codec)
			return
		}
		a.begun = true
		sink.BeginAudio(source.Audio{Codec: source.AudioCodec(a.info.Codec), SampleRate: a.info.SampleRate,
			Channels: max(a.info.Channels, 1), Config: a.info.Config})
	}
	if !a.adts {
		sink.DeliverAudio(source.Unit{Data: p.Data, PTS: p.PTS, DTS: p.DTS, Key: true})
		return
	}
	var ps mpeg4audio.ADTSPackets
	if err := ps.Unmarshal(p.Data); err != nil {
		sink.Log().Debug("audio: bad ADTS packet", "err", err)
		return
	}
	for i, f := range ps {
		at := p.PTS + int64(i)*1024*90000/int64(a.info.SampleRate)
		sink.DeliverAudio(source.Unit{Data: f.AU, PTS: at, DTS: at, Key: true})
	}
}
