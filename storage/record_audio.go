package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/asticode/go-astiav"
)

// RecordAudio is a camera's audio track, recorded with its video by stream
// copy as the video is.
type RecordAudio struct {
	// Codec is FFmpeg's name: "aac", "opus", "pcm_alaw" or "pcm_mulaw".
	Codec      string
	SampleRate int
	Channels   int
	// Config is AAC's AudioSpecificConfig; nil for the others.
	Config []byte
}

// Ext is the file extension of a recording of video codec c with audio
// (nil: none). MP4 plays everywhere and holds H.264/H.265 with AAC or Opus;
// Matroska holds what MP4 cannot: MJPEG, and G.711 (FFmpeg's MP4 muxer does
// not take A-law or µ-law).
func (c RecordCodec) Ext(audio *RecordAudio) string {
	if c == RecordMJPEG || audio != nil && (audio.Codec == "pcm_alaw" || audio.Codec == "pcm_mulaw") {
		return ".mkv"
	}
	return ".mp4"
}

// audioCodecID is FFmpeg's codec for a RecordAudio.
func audioCodecID(codec string) (astiav.CodecID, error) {
	switch codec {
	case "aac":
		return astiav.CodecIDAac, nil
	case "opus":
		return astiav.CodecIDOpus, nil
	case "pcm_alaw":
		return astiav.CodecIDPcmAlaw, nil
	case "pcm_mulaw":
		return astiav.CodecIDPcmMulaw, nil
	}
	return 0, fmt.Errorf("audio codec %q: %w", codec, ErrRecordCodec)
}

// opusHead is the identification header Opus carries in MP4 and Matroska
// (RFC 7845 §5.1): RTP sends none, and the muxers need one.
func opusHead(channels, sampleRate int) []byte {
	h := make([]byte, 19)
	copy(h, "OpusHead")
	h[8] = 1 // version
	h[9] = byte(channels)
	binary.LittleEndian.PutUint16(h[10:], 312) // pre-skip: libopus's usual
	binary.LittleEndian.PutUint32(h[12:], uint32(sampleRate))
	// output gain 0, channel mapping family 0 (mono or stereo)
	return h
}

// addAudio adds the audio stream to the file being set up.
func (s *Segment) addAudio(fc *astiav.FormatContext) error {
	id, err := audioCodecID(s.audio.Codec)
	if err != nil {
		return err
	}
	st := fc.NewStream(nil)
	if st == nil {
		return errors.New("add the audio stream")
	}
	cp := st.CodecParameters()
	cp.SetMediaType(astiav.MediaTypeAudio)
	cp.SetCodecID(id)
	cp.SetSampleRate(s.audio.SampleRate)
	cp.SetChannelLayout(astiav.ChannelLayoutMono)
	if s.audio.Channels == 2 {
		cp.SetChannelLayout(astiav.ChannelLayoutStereo)
	}
	extra := s.audio.Config
	if s.audio.Codec == "opus" {
		extra = opusHead(max(s.audio.Channels, 1), s.audio.SampleRate)
	}
	if len(extra) > 0 {
		if err := cp.SetExtraData(extra); err != nil {
			return fmt.Errorf("set the audio configuration: %w", err)
		}
	}
	if n := s.audio.frameSamples(nil); n > 0 {
		cp.SetFrameSize(n)
	}
	st.SetTimeBase(astiav.NewRational(1, s.audio.SampleRate))
	s.ast = st
	return nil
}

// HasAudio reports whether the file has an audio stream.
func (s *Segment) HasAudio() bool { return s.ast != nil }

// WriteAudio appends one audio frame at pts (RecordTimeBase, the video's
// clock). Audio from before the file's first video frame is left out, and
// times are kept increasing, as the muxer requires.
func (s *Segment) WriteAudio(frame []byte, pts int64) error {
	if s.ast == nil || !s.started {
		return nil
	}
	ts := pts - s.first
	if ts < 0 {
		return nil
	}
	if s.audioN > 0 && ts <= s.audioLast {
		ts = s.audioLast + 1
	}
	s.audioLast = ts
	s.pkt.Unref()
	s.padded = append(append(s.padded[:0], frame...), zeroPadding[:]...)
	if err := s.pkt.FromData(s.padded); err != nil {
		return fmt.Errorf("record an audio frame: %w", err)
	}
	s.pkt.SetSize(len(frame))
	s.pkt.SetPts(ts)
	s.pkt.SetDts(ts)
	// The muxer wants each frame's length for the last one of a fragment.
	s.pkt.SetDuration(int64(s.audio.frameSamples(frame)) * RecordTimeBase / int64(s.audio.SampleRate))
	s.pkt.RescaleTs(astiav.NewRational(1, RecordTimeBase), s.atb)
	s.pkt.SetStreamIndex(s.ast.Index())
	if err := s.writePacket(); err != nil {
		return fmt.Errorf("write audio to %s: %w", filepath.Base(s.path), s.out.cause(err))
	}
	s.audioN++
	return nil
}

// writePacket hands s.pkt to the muxer. Video alone goes straight in: one
// stream needs no reordering, and nothing is held back in memory. With
// audio the muxer interleaves the two by time, as MP4 and Matroska want.
func (s *Segment) writePacket() error {
	if s.ast == nil {
		return s.fc.WriteFrame(s.pkt)
	}
	return s.fc.WriteInterleavedFrame(s.pkt)
}

// frameSamples is how many samples one frame of the audio holds: AAC's
// 1024, Opus's usual 20 ms (cameras send no other), and for G.711, one byte
// a sample per channel of the frame given (0 without one).
func (a *RecordAudio) frameSamples(frame []byte) int {
	switch a.Codec {
	case "aac":
		return 1024
	case "opus":
		return a.SampleRate / 50
	}
	return len(frame) / max(a.Channels, 1)
}
