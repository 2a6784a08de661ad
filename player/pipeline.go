package player

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/camwall/camwall/decoder"
	"github.com/camwall/camwall/player/source"
)

// queueLen bounds the hand-over between network and decoder. At 30 fps it is
// about half a second: more would only turn into latency, so when it is full
// the session drops until the next keyframe instead.
const queueLen = 16

// counters are the statistics the network and decode goroutines share with
// the rest of the session, bumped as frames go by and read by the
// once-a-second status update.
type counters struct {
	received, decoded, dropped, corrupt, bytes atomic.Uint64
	// pictureAt is when the newest picture was decoded (Unix nanoseconds;
	// 0 before the first), across attempts: a picture that froze in one
	// attempt is still the one shown during the next.
	pictureAt atomic.Int64
}

// enqueuer is the non-blocking producer side used inside network callbacks.
// It is used from one goroutine only (gortsplib calls a format's callback
// from one reader goroutine).
type enqueuer struct {
	q        chan source.Unit
	c        *counters
	waitKey  bool // set after a drop: a P-frame without its references is garbage
	hadFirst bool
	// tap, when set, sees every access unit first: the recording, which
	// has its own queue and must not lose what the decoder drops.
	tap func(source.Unit)
}

func newEnqueuer(c *counters) *enqueuer {
	return &enqueuer{q: make(chan source.Unit, queueLen), c: c, waitKey: true}
}

// push never blocks: the network goroutine must keep reading.
func (e *enqueuer) push(au source.Unit) {
	e.c.received.Add(1)
	e.c.bytes.Add(uint64(len(au.Data)))
	if e.tap != nil {
		e.tap(au)
	}
	if e.waitKey {
		if !au.Key {
			if e.hadFirst {
				e.c.dropped.Add(1)
			}
			return
		}
		e.waitKey = false
		e.hadFirst = true
	}
	select {
	case e.q <- au:
	default:
		e.c.dropped.Add(1)
		e.waitKey = true
	}
}

// decodeLoop decodes access units from q until ctx ends or the source reports
// its end on srcErr. It publishes pictures scaled to the tile and keeps the
// status up to date, and ends the attempt when the picture freezes
// (freezeWatch).
func (s *Session) decodeLoop(ctx context.Context, codec decoder.Codec, q <-chan source.Unit, srcErr <-chan error) error {
	lowerDecodePriority()
	keyOnly := s.hidden.Load()
	// reordered is set once a unit shows the stream has B-frames (its PTS
	// is not its DTS), and stays set for the attempt.
	reordered, reorderedDec := false, false
	// decCfg is the open decoder's configuration: a snapshot decodes again
	// with it (lightDecode).
	var decCfg decoder.Config
	var light lightDecode
	open := func() (*decoder.Decoder, error) {
		reorderedDec = reordered
		cfg := decoder.Config{Codec: codec, Threads: s.cfg.DecodeThreads, KeyframesOnly: keyOnly, Reordered: reordered,
			MaxPixels: s.maxPixels, Log: s.log, HWAccel: s.cfg.HWAccel, SimulateHW: s.simulateHW}
		if s.hwFailed != "" {
			cfg.HWAccel, cfg.SimulateHW = decoder.HWAccelOff, nil
		}
		decCfg = cfg
		light.reset()
		dec, err := decoder.New(cfg)
		if err == nil {
			s.showBackend(dec.Backend())
		}
		return dec, err
	}
	dec, err := open()
	if err != nil {
		return &source.Error{Reason: err.Error(), Err: errors.Join(source.ErrUnsupportedCodec, err)}
	}
	defer func() {
		if dec != nil {
			dec.Close()
		}
	}()
	defer s.newest.drop()
	scaler := decoder.NewScaler()
	defer scaler.Close()

	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	rate := newRateMeter(&s.stats)
	live := false
	// idle: an on-demand session is not decoding, and starts again at a
	// keyframe when a snapshot waits.
	idle := false
	var srcW, srcH int // the size the status reports
	var latency time.Duration
	var lastPicture time.Time
	if at := s.stats.pictureAt.Load(); at != 0 {
		lastPicture = time.Unix(0, at)
	}
	freeze := newFreezeWatch(s.cfg.ReadTimeout, s.stats.received.Load(), lastPicture, time.Now())
	// waitKey is set when the decoder was reopened in software mid-stream:
	// what follows needs the next keyframe.
	waitKey := false

	for {
		select {
		case <-ctx.Done():
			return source.ErrClosed
		case err := <-srcErr:
			return err
		case now := <-tick.C:
			if err := freeze.tick(now, s.stats.received.Load()); err != nil {
				return err
			}
			r := rate.sample()
			s.setState(func(st *Status) {
				st.ReceivedFPS, st.DecodedFPS, st.Bitrate = r.received, r.decoded, r.bitrate
				st.Received, st.Decoded = s.stats.received.Load(), s.stats.decoded.Load()
				st.Dropped, st.Corrupt = s.stats.dropped.Load(), s.stats.corrupt.Load()
				st.Latency = latency
				st.LightDecode = dec.SkipsDeblock()
			})
		case au := <-q:
			if s.decodeHook != nil {
				s.decodeHook(au)
			}
			if s.cfg.DecodeOnDemand {
				if !live {
					live = true
					s.log.Info("camera live, decoding only for snapshots", "codec", codec.String())
					s.setState(func(st *Status) { st.State, st.Reason, st.Codec = StateLive, "", codec.String() })
				}
				if s.newest.waiters.Load() == 0 {
					idle = true
					freeze.idle()
					continue
				}
				if idle && !au.Key {
					continue
				}
				idle = false
			}
			if waitKey {
				if !au.Key {
					s.stats.dropped.Add(1)
					continue
				}
				waitKey = false
			}
			if au.PTS != au.DTS && !reordered {
				reordered = true
				s.log.Debug("the stream has B-frames: decoding in presentation order")
			}
			// Hidden or shown again, or B-frames found: switch at a
			// keyframe, where a new decoder needs nothing that came before.
			if hidden := s.hidden.Load(); au.Key && (hidden != keyOnly || reordered != reorderedDec) {
				keyOnly = hidden
				dec.Close()
				if dec, err = open(); err != nil {
					return &source.Error{Reason: err.Error(), Err: errors.Join(source.ErrUnsupportedCodec, err)}
				}
				freeze.idle()
			}
			if err := light.before(dec, au, keyOnly); err != nil {
				s.log.Debug("deblocking not skipped", "err", err)
			}
			pictured := false
			err := dec.Decode(au.Data, au.PTS, func(f *decoder.Frame) error {
				pictured = true
				s.stats.decoded.Add(1)
				w, h := f.Width(), f.Height()
				switch {
				case !live:
					live, srcW, srcH = true, w, h
					s.log.Info("camera live", "codec", codec.String(), "width", w, "height", h)
					s.setState(func(st *Status) {
						st.State, st.Reason, st.Codec, st.Width, st.Height = StateLive, "", codec.String(), w, h
					})
				case srcW == 0: // live before its first frame: decoding on demand
					srcW, srcH = w, h
					s.setState(func(st *Status) { st.Width, st.Height = w, h })
				case w != srcW || h != srcH:
					// A camera reconfigured mid-stream: FFmpeg follows the new
					// SPS and the scaler rebuilds; the status says so before
					// the first picture at the new size is published.
					s.log.Info("camera resolution changed", "from", fmt.Sprintf("%dx%d", srcW, srcH), "to", fmt.Sprintf("%dx%d", w, h))
					srcW, srcH = w, h
					s.setState(func(st *Status) { st.Width, st.Height = w, h })
				}
				// Before publishing, which does nothing without a tile: a
				// headless session (the snapshot CLI) keeps frames too. A
				// frame that cannot be kept only costs a snapshot, not the
				// stream.
				tw, th := s.tile()
				pw, ph := decoder.TileSize(w, h, tw, th)
				if err := s.newest.keep(f, time.Now(), light.frame(f, pw, ph, decCfg)); err != nil {
					s.log.Debug("frame not kept for snapshots", "err", err)
				}
				due, published, err := s.publish(f, scaler)
				if err != nil || !published {
					return err
				}
				now := time.Now()
				if !au.NTP.IsZero() {
					latency = now.Sub(au.NTP)
				}
				if s.cfg.OnFrame != nil {
					s.cfg.OnFrame(FrameEvent{Published: now, Due: due, Captured: au.NTP, Width: f.Width(), Height: f.Height()})
				}
				return nil
			})
			// A hidden session's decoder discards every unit but keyframes.
			if now := time.Now(); pictured {
				freeze.picture(now)
				s.stats.pictureAt.Store(now.UnixNano())
			} else if au.Key || !keyOnly {
				if ferr := freeze.undecoded(now); ferr != nil {
					return ferr
				}
			}
			if fb := (*decoder.FallbackError)(nil); errors.As(err, &fb) {
				waitKey = waitKey || s.fellBack(fb)
				err = fb.Err
			}
			if large := (*decoder.TooLargeError)(nil); errors.As(err, &large) {
				// The camera will not shrink its pictures by itself.
				return &source.Error{Reason: large.Error(), SlowRetry: true, Err: err}
			}
			if errors.Is(err, decoder.ErrCorrupt) {
				s.stats.corrupt.Add(1)
				s.log.Debug("corrupt access unit", "err", err)
				continue
			}
			if err != nil {
				return err
			}
		}
	}
}

// publish scales f into a spare buffer at the tile's size and hands it to
// the tile, due when the presentation clock says. Nothing is scaled while
// the tile has no size.
func (s *Session) publish(f *decoder.Frame, scaler *decoder.Scaler) (time.Time, bool, error) {
	tw, th := s.tile()
	w, h := decoder.TileSize(f.Width(), f.Height(), tw, th)
	if w == 0 || h == 0 {
		return time.Time{}, false, nil
	}
	img := s.frames.Spare(w, h)
	if err := scaler.Scale(f, img); err != nil {
		s.frames.Release(img)
		return time.Time{}, false, err
	}
	due := s.present.due(f.PTS(), time.Now())
	s.frames.PublishAt(img, due)
	return due, true, nil
}

// rateMeter turns the cumulative counters into per-second rates.
type rateMeter struct {
	c                         *counters
	at                        time.Time
	received, decoded, nbytes uint64
}

type rates struct{ received, decoded, bitrate float64 }

func newRateMeter(c *counters) *rateMeter {
	return &rateMeter{c: c, at: time.Now(), received: c.received.Load(), decoded: c.decoded.Load(), nbytes: c.bytes.Load()}
}

func (m *rateMeter) sample() rates {
	now := time.Now()
	dt := now.Sub(m.at).Seconds()
	rcv, dec, nb := m.c.received.Load(), m.c.decoded.Load(), m.c.bytes.Load()
	r := rates{
		received: float64(rcv-m.received) / dt,
		decoded:  float64(dec-m.decoded) / dt,
		bitrate:  8 * float64(nb-m.nbytes) / dt,
	}
	m.at, m.received, m.decoded, m.nbytes = now, rcv, dec, nb
	return r
}
