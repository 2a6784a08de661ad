package player

import (
	"context"
	"log/slog"

	"github.com/camwall/camwall/decoder"
	"github.com/camwall/camwall/player/source"
)

// attempt runs one Play of src on a goroutine of its own, as mediamtx's
// static-source handler does, while this goroutine decodes what it delivers.
// The attempt ends with whichever ends first: the source (its connection
// ended) or the decoder (it failed); the other is then stopped and waited
// for, so that no goroutine outlives the attempt. A panic on either side
// ends the attempt as a failure (see panicked).
func (s *Session) attempt(src source.Source) (err error) {
	defer func() { // first, so it runs after the source has been waited for
		if r := recover(); r != nil {
			err = s.panicked(r)
		}
	}()
	ctx, cancel := context.WithCancel(s.ctx)
	defer cancel()
	sink := &attemptSink{s: s, enq: newEnqueuer(&s.stats), begun: make(chan decoder.Codec, 1)}
	ended := make(chan error, 1)
	played := make(chan struct{})
	go func() {
		defer close(played)
		ended <- s.playSafely(ctx, src, sink)
	}()
	defer func() { cancel(); <-played }()

	select {
	case <-s.ctx.Done():
		return source.ErrClosed
	case err := <-ended:
		return err
	case codec := <-sink.begun:
		return s.decodeLoop(ctx, codec, sink.enq.q, ended)
	}
}

// playSafely runs src.Play, turning a panic in it into a failed attempt.
func (s *Session) playSafely(ctx context.Context, src source.Source, sink source.Sink) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = s.panicked(r)
		}
	}()
	return src.Play(ctx, sink)
}

// panicked logs a recovered panic and words it for the tile
// (source.Recovered).
func (s *Session) panicked(r any) error { return source.Recovered(s.log, r) }

// attemptSink is the session's side of the seam for one attempt.
type attemptSink struct {
	s     *Session
	enq   *enqueuer
	begun chan decoder.Codec
	// stream is this attempt's number (Session.streams), and audio its
	// audio track; both set before any unit is delivered, on the source's
	// goroutine.
	stream uint64
	audio  *source.Audio
}

// Begin numbers the stream for the recording and wakes the decoder.
func (a *attemptSink) Begin(codec decoder.Codec) {
	stream := a.s.streams.Add(1)
	a.stream = stream
	a.enq.tap = func(u source.Unit) { a.s.recordTap(u, codec, stream, a.audio) }
	select {
	case a.begun <- codec:
	default: // a second Begin in one attempt: the first one's codec stays
	}
}

func (a *attemptSink) Deliver(u source.Unit) {
	if a.s.deliverHook != nil {
		a.s.deliverHook(u)
	}
	a.enq.push(u)
}

// BeginAudio records the audio with the video from now on; nothing decodes
// it.
func (a *attemptSink) BeginAudio(au source.Audio) {
	a.audio = &au
	a.s.setState(func(st *Status) { st.Audio = string(au.Codec) })
}

// DeliverAudio goes to the recording, which drops it while it waits for a
// video keyframe.
func (a *attemptSink) DeliverAudio(u source.Unit) {
	if a.audio != nil {
		a.s.recordAudioTap(u, a.audio, a.stream)
	}
}

// Transport shows how the stream travels in the status.
func (a *attemptSink) Transport(how, note string) {
	a.s.setState(func(st *Status) { st.Transport, st.TransportNote = how, note })
}

func (a *attemptSink) Log() *slog.Logger { return a.s.log }
