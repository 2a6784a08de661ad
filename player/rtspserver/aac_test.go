package rtspserver

import (
	"bytes"
	"strings"
	"testing"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
)

func adts(t *testing.T, pkts ...*mpeg4audio.ADTSPacket) []byte {
	t.Helper()
	b, err := mpeg4audio.ADTSPackets(pkts).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func aacPacket(rate, channels int, au ...byte) *mpeg4audio.ADTSPacket {
	return &mpeg4audio.ADTSPacket{Type: mpeg4audio.ObjectTypeAACLC, SampleRate: rate, ChannelCount: channels, AU: au}
}

func TestParseADTS(t *testing.T) {
	tests := []struct {
		name     string
		in       func(t *testing.T) []byte
		rate, ch int
		frames   [][]byte
		err      string
	}{
		{"one packet", func(t *testing.T) []byte { return adts(t, aacPacket(48000, 1, 1, 2, 3)) },
			48000, 1, [][]byte{{1, 2, 3}}, ""},
		{"three packets, stereo 44.1 kHz", func(t *testing.T) []byte {
			return adts(t, aacPacket(44100, 2, 1), aacPacket(44100, 2, 2, 2), aacPacket(44100, 2, 3, 3, 3))
		}, 44100, 2, [][]byte{{1}, {2, 2}, {3, 3, 3}}, ""},
		{"empty", func(*testing.T) []byte { return nil }, 0, 0, nil, "empty stream"},
		{"not ADTS", func(*testing.T) []byte { return bytes.Repeat([]byte{0x42}, 16) }, 0, 0, nil, "syncword"},
		{"truncated", func(t *testing.T) []byte { b := adts(t, aacPacket(48000, 1, 1, 2, 3, 4)); return b[:len(b)-2] }, 0, 0, nil, "ADTS"},
		{"sample rate changes", func(t *testing.T) []byte {
			return adts(t, aacPacket(48000, 1, 1), aacPacket(32000, 1, 2))
		}, 0, 0, nil, "packet 1 is 32000 Hz"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clip, err := ParseADTS(tc.in(t))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one that says %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c := clip.Config
			if c.Type != mpeg4audio.ObjectTypeAACLC || c.SampleRate != tc.rate || c.ChannelCount != tc.ch {
				t.Errorf("config = %+v, want AAC-LC %d Hz %d channel(s)", c, tc.rate, tc.ch)
			}
			if len(clip.Frames) != len(tc.frames) {
				t.Fatalf("%d frames, want %d", len(clip.Frames), len(tc.frames))
			}
			for i := range tc.frames {
				if !bytes.Equal(clip.Frames[i], tc.frames[i]) {
					t.Errorf("frame %d = %x, want %x", i, clip.Frames[i], tc.frames[i])
				}
			}
		})
	}
}
