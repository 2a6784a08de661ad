package rtspserver

import (
	"bytes"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/pion/rtp"
)

// A clip with audio: each stream's SDP carries an AAC track beside the
// video, its frames come one per 1024 samples, in order from as far into
// the audio as the video starts into its clip, and on the video's clock.
func TestLoopSendsTheClipsAudioInStepWithItsVideo(t *testing.T) {
	clip, err := DemoClip()
	if err != nil {
		t.Fatal(err)
	}
	const rate = 48000
	frames := make([][]byte, 50) // about 1 s: it loops during the test
	for i := range frames {
		frames[i] = []byte{byte(i), 0xaa, byte(i)}
	}
	clip.Audio = &AudioClip{Config: &mpeg4audio.AudioSpecificConfig{Type: mpeg4audio.ObjectTypeAACLC, SampleRate: rate, ChannelCount: 1}, Frames: frames}
	d := &Demo{Streams: 2, Clip: clip}
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	defer d.Close()

	c, u := client(t, d.URL(2))
	desc, _, err := c.Describe(u)
	if err != nil {
		t.Fatal(err)
	}
	if len(desc.Medias) != 2 {
		t.Fatalf("%d medias, want video and audio", len(desc.Medias))
	}
	var aac *format.MPEG4Audio
	if desc.FindFormat(&aac) == nil {
		t.Fatalf("no MPEG-4 Audio format in %v", desc.Medias)
	}
	if aac.Config == nil || aac.Config.SampleRate != rate || aac.Config.ChannelCount != 1 {
		t.Fatalf("AAC config %+v, want %d Hz mono", aac.Config, rate)
	}
	dec, err := aac.CreateDecoder()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SetupAll(desc.BaseURL, desc.Medias); err != nil {
		t.Fatal(err)
	}
	type got struct {
		ts  uint32
		aus [][]byte
	}
	var (
		mu     sync.Mutex
		audio  []got
		videoT []uint32 // video RTP times received before the first audio
	)
	for _, m := range desc.Medias {
		for _, f := range m.Formats {
			c.OnPacketRTP(m, f, func(p *rtp.Packet) {
				mu.Lock()
				defer mu.Unlock()
				if f == format.Format(aac) {
					aus, err := dec.Decode(p)
					if err != nil {
						t.Errorf("decode audio: %v", err)
						return
					}
					audio = append(audio, got{p.Timestamp, aus})
				} else if len(audio) == 0 {
					videoT = append(videoT, p.Timestamp)
				}
			})
		}
	}
	if _, err := c.Play(nil); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	c.Close()
	mu.Lock()
	defer mu.Unlock()
	if len(audio) < 40 {
		t.Fatalf("%d audio packets in 1.5 s, want about 70", len(audio))
	}
	// Stream 2 of 2 starts half way into the video clip, so the audio
	// starts half the clip's duration into its frames.
	first := len(clip.AccessUnits) / 2 * rate / (clip.FPS * 1024) % len(frames)
	n0 := int(audio[0].ts / 1024)
	for i, a := range audio {
		if a.ts%1024 != 0 || a.ts != audio[0].ts+uint32(i*1024) {
			t.Fatalf("audio packet %d at RTP time %d, want %d (one frame per packet, 1024 samples apart)", i, a.ts, audio[0].ts+uint32(i*1024))
		}
		want := frames[(first+n0+i)%len(frames)]
		if len(a.aus) != 1 || !bytes.Equal(a.aus[0], want) {
			t.Fatalf("audio packet %d holds %x, want frame %x", i, a.aus, want)
		}
	}
	// The video's RTP clock (90 kHz) and the audio's started together.
	if len(videoT) == 0 {
		t.Fatal("no video before the first audio")
	}
	v := float64(videoT[len(videoT)-1]) / 90000
	if a := float64(audio[0].ts) / rate; math.Abs(a-v) > 2/float64(clip.FPS) {
		t.Errorf("first audio at %.3f s of the loop, last video before it at %.3f s: want them within two frames", a, v)
	}
}
