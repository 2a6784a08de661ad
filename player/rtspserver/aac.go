package rtspserver

import (
	"errors"
	"fmt"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
)

// ParseADTS reads an AAC-LC ADTS stream (what `ffmpeg -c:a aac -f adts`
// writes) into an AudioClip: its raw access units, and the configuration
// that the first packet's header gives. Every packet must have the same
// sample rate and channel count.
func ParseADTS(adts []byte) (*AudioClip, error) {
	if len(adts) == 0 {
		return nil, errors.New("ADTS: empty stream")
	}
	var pkts mpeg4audio.ADTSPackets
	if err := pkts.Unmarshal(adts); err != nil {
		return nil, fmt.Errorf("ADTS: %w", err)
	}
	first := pkts[0]
	clip := &AudioClip{
		Config: &mpeg4audio.AudioSpecificConfig{Type: first.Type, SampleRate: first.SampleRate, ChannelCount: first.ChannelCount},
		Frames: make([][]byte, 0, len(pkts)),
	}
	for i, p := range pkts {
		if p.Type != first.Type || p.SampleRate != first.SampleRate || p.ChannelCount != first.ChannelCount {
			return nil, fmt.Errorf("ADTS: packet %d is %d Hz, %d channel(s); the first is %d Hz, %d channel(s)",
				i, p.SampleRate, p.ChannelCount, first.SampleRate, first.ChannelCount)
		}
		clip.Frames = append(clip.Frames, p.AU)
	}
	return clip, nil
}
