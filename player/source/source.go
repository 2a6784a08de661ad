package source

import (
	"context"
	"log/slog"
	"time"

	"github.com/camwall/camwall/decoder"
)

// Source is one way of receiving a camera.
type Source interface {
	// Play runs one attempt: it connects, calls sink.Begin once the stream
	// is set up, delivers units until the connection ends or ctx is
	// cancelled, and returns why it ended (ErrClosed when ctx ended it). An
	// attempt that fails is retried by the caller with a new Play.
	Play(ctx context.Context, sink Sink) error
	// Address is the host:port whose reachability the caller probes while
	// the camera is down; "" when there is none to probe.
	Address() string
}

// Sink is what a source delivers into: the session's side of the seam.
type Sink interface {
	// Begin announces that the stream is set up and what codec its units
	// carry. It is called once per attempt, before the first Deliver.
	Begin(codec decoder.Codec)
	// Deliver hands over one unit. It never blocks, so that a network
	// reader can keep reading; it is called from one goroutine at a time.
	Deliver(Unit)
	// BeginAudio announces the audio track that comes with the video, for
	// recordings; called at most once per attempt, after Begin, by sources
	// that receive one.
	BeginAudio(Audio)
	// DeliverAudio hands over one audio frame; it never blocks either.
	DeliverAudio(Unit)
	// Transport says how the stream travels, in the user's words ("UDP",
	// "TCP"), and note why it is not the one first tried ("" when it is):
	// called once the stream is set up, and again when it switches. Sources
	// with no choice of transport never call it.
	Transport(how, note string)
	// Log is the camera's logger, for the source's own events.
	Log() *slog.Logger
}

// Audio describes a camera's audio track. Its units are the codec's frames
// (an AAC access unit, an Opus packet, a run of G.711 samples) with PTS and
// DTS in the video's 90 kHz ticks, on the same clock as the video.
type Audio struct {
	Codec      AudioCodec
	SampleRate int
	Channels   int
	// Config is AAC's AudioSpecificConfig; nil for the others.
	Config []byte
}

// AudioCodec names an audio codec as FFmpeg does.
type AudioCodec string

// Audio codecs cameras commonly send, and camwall records.
const (
	AudioAAC  AudioCodec = "aac"
	AudioOpus AudioCodec = "opus"
	AudioPCMA AudioCodec = "pcm_alaw"  // G.711 A-law
	AudioPCMU AudioCodec = "pcm_mulaw" // G.711 µ-law
)

// Unit is one encoded frame.
type Unit struct {
	// Data is Annex-B for H.264/H.265, a JPEG for MJPEG.
	Data []byte
	// PTS is the presentation time in 90 kHz ticks.
	PTS int64
	// DTS is the decoding time in the same ticks: units arrive in decoding
	// order, so DTS grows with every unit, while a stream with B-frames
	// has PTS ahead of DTS by its reordering delay. It equals PTS for a
	// stream without reordering.
	DTS int64
	// NTP is the capture time from RTCP sender reports; zero if unknown.
	NTP time.Time
	// Key is set on a unit a decoder can start at.
	Key bool
}
