package player

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/camwall/camwall/decoder"
	"github.com/camwall/camwall/player/source"
	"github.com/camwall/camwall/storage"
)

// RecordOptions says where and how a session records.
type RecordOptions struct {
	// Dir is the root folder; files are Dir/{camera}/{camera}_{timestamp}.mp4
	// (.mkv for MJPEG; storage.CreateRecording). Required.
	Dir string
	// GroupReadable makes new files 0640 and folders 0750 instead of
	// private 0600 and 0700 (storage.RecordPlan).
	GroupReadable bool
	// Segment is how long a file lasts before the next one starts (at the
	// next keyframe); it defaults to storage.DefaultSegment.
	Segment time.Duration
	// Retention, when set, deletes the camera's oldest recordings in Dir
	// after each file is closed (storage.PruneRecordings).
	Retention storage.Retention
	// OnFile, when set, is called on the recording goroutine with the path
	// of every file once it is closed.
	OnFile func(path string)
	// Footage, when set, ends the recording by itself once this much has
	// been written, counted in the stream's own time from the first
	// keyframe (to the frame: the last frame written is the last one that
	// starts within Footage), across files and reconnections.
	// RecordingEnded says when.
	Footage time.Duration
}

// recordQueueLen bounds the hand-over between the network goroutine and the
// recording writer: about four seconds of 30 fps video and its audio,
// enough to ride out a slow disk for a moment. When it is full the
// recording drops video until the next keyframe, and audio frame by frame;
// the live picture never waits for the disk.
const recordQueueLen = 256

// Backoff after a write error (disk full, folder removed) before the next
// keyframe tries a new file.
const (
	recordMinBackoff = time.Second
	recordMaxBackoff = 30 * time.Second
)

var errRecording = errors.New("already recording")

// recItem is one access unit for the recorder, with the number of the stream
// it came from (Session.streams): a new stream's timestamps start over, so
// it starts a new file.
type recItem struct {
	data []byte
	pts  int64
	dts  int64
	// audio is the stream's audio track: set on its audio frames, and on
	// its video too once the track has begun, so that a file starts with
	// the audio stream in its header.
	audio  *source.Audio
	sound  bool // an audio frame
	key    bool
	codec  decoder.Codec
	stream uint64
}

// recorder writes a session's access units to segment files on its own
// goroutine.
type recorder struct {
	opts    RecordOptions
	camera  string
	q       chan recItem
	stop    chan struct{}
	done    chan struct{}
	waitKey atomic.Bool // producer side: drop until a keyframe
	dropped atomic.Uint64
	written atomic.Uint64 // bytes of access units written (Status.RecordBytes)

	mu     sync.Mutex
	file   string   // the file being written; "" between files
	errMsg string   // the last write error, cleared when writing resumes
	files  []string // every file started
}

// StartRecording begins recording the camera's stream to files by stream
// copy (no decoding), from its next keyframe, while viewing goes on; it may
// be called before or after Start, from any goroutine, and returns at once.
// It fails only without a folder, on a closed session, or when a recording
// is already running; write errors show in Status.RecordError and the
// recording retries by itself. A new file starts every opts.Segment, on
// every reconnection and when the camera changes its parameter sets. Close
// stops a running recording.
func (s *Session) StartRecording(opts RecordOptions) error {
	if opts.Dir == "" {
		return errors.New("start recording: no folder given")
	}
	if s.ctx.Err() != nil {
		return errors.New("start recording: the session is closed")
	}
	if opts.Segment <= 0 {
		opts.Segment = storage.DefaultSegment
	}
	r := &recorder{opts: opts, camera: s.cfg.Name, q: make(chan recItem, recordQueueLen),
		stop: make(chan struct{}), done: make(chan struct{})}
	r.waitKey.Store(true)
	if !s.rec.CompareAndSwap(nil, r) {
		return fmt.Errorf("start recording %s: %w", s.cfg.Name, errRecording)
	}
	go r.run(s)
	return nil
}

// RecordingEnded is closed when the running recording has ended by itself
// (RecordOptions.Footage); nil, which blocks for ever, when not recording.
func (s *Session) RecordingEnded() <-chan struct{} {
	if r := s.rec.Load(); r != nil {
		return r.done
	}
	return nil
}

// StopRecording ends the recording, writing what is queued and the last
// fragment, and returns the files it wrote, oldest first (retention may have
// deleted some since). It blocks until the file is closed, normally a few
// milliseconds. It does nothing when not recording.
func (s *Session) StopRecording() []string {
	r := s.rec.Swap(nil)
	if r == nil {
		return nil
	}
	close(r.stop)
	<-r.done
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.files...)
}

// recordTap is called by the network goroutine for every access unit.
func (s *Session) recordTap(au source.Unit, codec decoder.Codec, stream uint64, audio *source.Audio) {
	r := s.rec.Load()
	if r == nil {
		return
	}
	if r.waitKey.Load() {
		if !au.Key {
			return
		}
		r.waitKey.Store(false)
	}
	select {
	case r.q <- recItem{data: au.Data, pts: au.PTS, dts: au.DTS, key: au.Key, codec: codec, stream: stream, audio: audio}:
	default:
		r.dropped.Add(1)
		r.waitKey.Store(true)
	}
}

// recordAudioTap is called by the network goroutines for every audio frame.
// The audio has no keyframes to wait for: what the queue cannot take is
// dropped alone.
func (s *Session) recordAudioTap(u source.Unit, audio *source.Audio, stream uint64) {
	r := s.rec.Load()
	if r == nil {
		return
	}
	select {
	case r.q <- recItem{data: u.Data, pts: u.PTS, dts: u.DTS, audio: audio, sound: true, stream: stream}:
	default:
		r.dropped.Add(1)
	}
}

// recordStatus adds the recording's state to st.
func (s *Session) recordStatus(st *Status) {
	r := s.rec.Load()
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	st.Recording = true
	st.RecordFile = r.file
	st.RecordError = r.errMsg
	st.RecordDropped = r.dropped.Load()
	st.RecordBytes = r.written.Load()
}

// recordAudio is the storage form of a stream's audio track; nil for none.
func recordAudio(a *source.Audio) *storage.RecordAudio {
	if a == nil {
		return nil
	}
	return &storage.RecordAudio{Codec: string(a.Codec), SampleRate: a.SampleRate, Channels: a.Channels, Config: a.Config}
}

func recordCodec(c decoder.Codec) (storage.RecordCodec, error) {
	switch c {
	case decoder.H264:
		return storage.RecordH264, nil
	case decoder.H265:
		return storage.RecordH265, nil
	case decoder.MJPEG:
		return storage.RecordMJPEG, nil
	}
	return "", fmt.Errorf("%s: %w", c.String(), storage.ErrRecordCodec)
}

// Clock jumps: a stream whose decoding time goes back by more than
// maxClockBack (a camera that reset its clock; small steps back are the
// DTS extractor restarting, which Segment.Write smooths) or leaps ahead by
// more than maxClockLeap (a wrap, a camera that set its clock) starts a new
// file, whose timestamps start over from there.
const (
	maxClockBack = storage.RecordTimeBase     // 1 s
	maxClockLeap = 5 * storage.RecordTimeBase // 5 s
)

// run writes until stopped. A file ends on Stop, after Segment of the
// stream's time or of the wall clock's (whichever is first, so that a stuck
// camera clock cannot grow one file for ever), on a new stream, on a clock
// jump, on new parameter sets, and on a write error; the next one starts at
// a keyframe (after a backoff, following an error).
func (r *recorder) run(s *Session) {
	defer close(r.done)
	r.prune(s) // limits lowered since the last run apply at once
	var seg *storage.Segment
	var stream uint64
	var segStart, lastDTS int64
	var segOpened time.Time
	// run numbers the stretches of continuous time: a new stream or a
	// clock jump starts one, and the footage adds them up.
	var run, runStream uint64
	jumps := 0
	var length footage
	want := int64(r.opts.Footage.Seconds() * storage.RecordTimeBase)
	var retryAt time.Time
	var unsupported uint64 // the stream whose codec cannot be recorded
	backoff := recordMinBackoff

	closeSeg := func() {
		if seg == nil {
			return
		}
		if err := seg.Close(); err != nil {
			s.log.Warn("recording file not finished", "file", seg.Path(), "err", err)
		}
		if r.opts.OnFile != nil {
			r.opts.OnFile(seg.Path())
		}
		s.log.Info("recording file closed", "file", seg.Path(), "frames", seg.Frames())
		seg = nil
		r.prune(s)
		r.mu.Lock()
		r.file = ""
		r.mu.Unlock()
	}
	fail := func(err error) {
		closeSeg()
		s.log.Warn("recording stopped by an error; retrying", "err", err, "retry_in", backoff)
		r.mu.Lock()
		r.errMsg = s.scrub(err.Error())
		r.mu.Unlock()
		retryAt = time.Now().Add(backoff)
		backoff = min(2*backoff, recordMaxBackoff)
	}
	defer closeSeg()

	// write writes it; false means the footage asked for is complete.
	write := func(it recItem) bool {
		if it.sound {
			// Into the file the video of its stream is being written to,
			// from its first keyframe on; never the start of a file.
			if seg != nil && it.stream == stream && seg.HasAudio() {
				if err := seg.WriteAudio(it.data, it.pts); err != nil {
					fail(err)
				} else {
					r.written.Add(uint64(len(it.data)))
				}
			}
			return true
		}
		if it.stream != runStream {
			run, runStream = run+1, it.stream
		} else if seg != nil && (it.dts < lastDTS-maxClockBack || it.dts > lastDTS+maxClockLeap) {
			// Once at warning level: a camera whose clock keeps jumping
			// must not fill the log.
			level := slog.LevelWarn
			if jumps++; jumps > 1 {
				level = slog.LevelDebug
			}
			s.log.Log(context.Background(), level, "camera clock jumped; recording goes on in a new file",
				"from", lastDTS, "to", it.dts, "jumps", jumps)
			closeSeg()
			run++
		}
		if want > 0 && seg != nil && length.at(it.pts, run) >= want {
			return false
		}
		segLen := int64(r.opts.Segment.Seconds() * storage.RecordTimeBase)
		if seg != nil && (it.stream != stream ||
			it.key && (it.pts-segStart >= segLen || time.Since(segOpened) >= r.opts.Segment || !seg.SameParams(it.data))) {
			closeSeg()
		}
		if seg != nil && it.key {
			// Writes to a file whose folder was removed succeed into an
			// unlinked inode, so the loss would go unseen: look once per
			// keyframe, which is cheap.
			if _, err := os.Stat(seg.Path()); err != nil {
				fail(fmt.Errorf("the recording file went away: %w", err))
				return true
			}
		}
		if seg == nil {
			if !it.key || time.Now().Before(retryAt) {
				return true
			}
			if it.stream == unsupported {
				return true // said once per connection; retrying cannot help
			}
			codec, err := recordCodec(it.codec)
			if err != nil {
				unsupported = it.stream
				s.log.Warn("camera not recorded", "err", err)
				r.mu.Lock()
				r.errMsg = err.Error()
				r.mu.Unlock()
				return true
			}
			seg, err = storage.CreateRecording(r.opts.Dir, r.camera, time.Now(), codec, it.data, recordAudio(it.audio), r.opts.GroupReadable)
			if err != nil {
				seg = nil
				fail(err)
				return true
			}
			path := seg.Path()
			stream, segStart, segOpened = it.stream, it.pts, time.Now()
			s.log.Info("recording to file", "file", path)
			r.mu.Lock()
			r.file, r.errMsg = path, ""
			r.files = append(r.files, path)
			r.mu.Unlock()
		}
		if err := seg.Write(it.data, it.pts, it.dts, it.key); err != nil {
			fail(err)
			return true
		}
		r.written.Add(uint64(len(it.data)))
		length.wrote(it.pts, run)
		lastDTS = it.dts
		backoff = recordMinBackoff
		return true
	}

	// safeWrite is write, with a panic in it (a muxer fed one camera's
	// stream) turned into a write error: the file ends, and the recording
	// starts a new one at a keyframe after the backoff.
	safeWrite := func(it recItem) (more bool) {
		defer func() {
			if p := recover(); p != nil {
				more = true
				err := source.Recovered(s.log, p)
				func() {
					defer func() {
						if recover() != nil { // the file cannot even be closed: let it go
							seg = nil
							r.mu.Lock()
							r.file = ""
							r.mu.Unlock()
						}
					}()
					closeSeg()
				}()
				fail(err)
			}
		}()
		if s.recordHook != nil {
			s.recordHook(source.Unit{Data: it.data, PTS: it.pts, DTS: it.dts, Key: it.key})
		}
		return write(it)
	}

	for {
		select {
		case <-r.stop:
			// What is already queued still goes in: Stop means "up to now".
			for {
				select {
				case it := <-r.q:
					if !safeWrite(it) {
						return
					}
				default:
					return
				}
			}
		case it := <-r.q:
			if !safeWrite(it) {
				s.log.Info("recording complete", "footage", r.opts.Footage)
				return
			}
		}
	}
}

// footage counts how much a recording holds, in RecordTimeBase ticks: each
// run's span from its first frame written, plus a frame for the last one,
// summed over the runs (a reconnection or a clock jump starts a new run).
type footage struct {
	done        int64 // the streams before this one
	stream      uint64
	first, last int64 // this stream's first and latest frame written
	frame       int64 // one frame, from the last two
	started     bool
}

// at is the footage if a frame at pts of stream were the next written.
func (f *footage) at(pts int64, stream uint64) int64 {
	if !f.started {
		return 0
	}
	if stream != f.stream {
		return f.done + f.last - f.first + f.frame
	}
	return f.done + pts - f.first
}

// wrote counts a written frame.
func (f *footage) wrote(pts int64, stream uint64) {
	switch {
	case !f.started:
		f.started, f.stream, f.first, f.last = true, stream, pts, pts
	case stream != f.stream:
		f.done += f.last - f.first + f.frame
		f.stream, f.first, f.last = stream, pts, pts
	case pts > f.last:
		f.frame, f.last = pts-f.last, pts
	}
}

// prune applies the retention limits; a failure is logged, not shown on the
// tile: recording itself goes on.
func (r *recorder) prune(s *Session) {
	deleted, err := storage.PruneRecordings(r.opts.Dir, r.camera, r.opts.Retention, time.Now())
	for _, p := range deleted {
		s.log.Info("old recording deleted", "file", p)
	}
	if err != nil {
		s.log.Warn("old recordings not deleted", "err", err)
	}
}
