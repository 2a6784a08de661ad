package decoder

import "github.com/asticode/go-astiav"

// AudioInfo describes the audio stream a Demuxer reads beside the video.
type AudioInfo struct {
	// Codec is FFmpeg's name: "aac", "opus", "pcm_alaw" or "pcm_mulaw".
	Codec      string
	SampleRate int
	Channels   int
	// Config is the codec's extradata as the container gives it (AAC's
	// AudioSpecificConfig); nil when it has none, as ADTS AAC in MPEG-TS,
	// whose frames carry their configuration in their headers.
	Config []byte
}

// recordedAudio is the audio codecs a recording keeps, by FFmpeg's names.
var recordedAudio = map[astiav.CodecID]string{
	astiav.CodecIDAac:      "aac",
	astiav.CodecIDOpus:     "opus",
	astiav.CodecIDPcmAlaw:  "pcm_alaw",
	astiav.CodecIDPcmMulaw: "pcm_mulaw",
}

// pickAudio chooses FFmpeg's best audio stream, or the first one when a
// live input was opened without probing (FFmpeg then ranks no stream), if
// a recording keeps its codec.
func (d *Demuxer) pickAudio() {
	s, _, err := d.fc.FindBestStream(astiav.MediaTypeAudio, -1, -1)
	if err != nil || s == nil {
		for _, st := range d.fc.Streams() {
			if st.CodecParameters().MediaType() == astiav.MediaTypeAudio {
				s = st
				break
			}
		}
	}
	if s == nil {
		return
	}
	cp := s.CodecParameters()
	name, ok := recordedAudio[cp.CodecID()]
	if !ok {
		return
	}
	d.audio.index, d.audio.tb = s.Index(), s.TimeBase()
	d.audio.info = AudioInfo{Codec: name, SampleRate: cp.SampleRate(), Channels: cp.ChannelLayout().Channels()}
	if extra := cp.ExtraData(); len(extra) > 0 {
		d.audio.info.Config = append([]byte(nil), extra...)
	}
}

// AudioInfo is the audio stream read beside the video; false when there is
// none (or DemuxOptions.Audio was not set).
func (d *Demuxer) AudioInfo() (AudioInfo, bool) {
	return d.audio.info, d.audio.index >= 0
}

// takeAudio turns d.pkt, an audio packet, into a Packet on the video's
// clock, and releases it. Audio without a time, or read before the first
// video packet of a new pass over a file (whose clock is not set yet), is
// dropped.
func (d *Demuxer) takeAudio() (Packet, bool) {
	defer d.pkt.Unref()
	pts := d.pkt.Pts()
	if pts == astiav.NoPtsValue || d.clock.rewound || !d.clock.any {
		return Packet{}, false
	}
	at := astiav.RescaleQ(pts, d.audio.tb, pts90k) + d.clock.offset
	return Packet{Data: d.pkt.Data(), PTS: at, DTS: at, Key: true, Audio: true}, true
}
