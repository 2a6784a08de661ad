package rtspserver

import (
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
)

// StreamFault is how a Feed's stream misbehaves.
type StreamFault int

// Stream faults.
const (
	// StreamOK sends the clip as it is.
	StreamOK StreamFault = iota
	// StreamNoVideo sends no RTP, only an RTCP sender report every second:
	// the connection looks alive while the picture is frozen.
	StreamNoVideo
	// StreamGarbage replaces every RTP payload with random bytes, keeping
	// the headers (sequence numbers, timestamps, marker).
	StreamGarbage
	// StreamAltClip sends the Feed's Alt clip, from its first access unit,
	// instead of the clip: with another SPS, a camera reconfigured mid-stream
	// (resolution change). Back to StreamOK, the clip starts over from its
	// first access unit.
	StreamAltClip
	// StreamTimeJump moves the RTP timestamps forward by TimeJump from the
	// next frame on; back to StreamOK, they jump back by as much.
	StreamTimeJump
)

// TimeJump is how far StreamTimeJump moves the RTP clock: more than an
// hour, and more than half the 32-bit range of a 90 kHz clock, so that a
// receiver cannot take it for jitter or tell forward from backward.
const TimeJump = 1<<31 + 12345

// Feed sends a clip to a stream of a Server frame by frame, as Loop does,
// while a test makes the stream misbehave (SetFault) or takes it away and
// gives it back (Publish, Detach), as a failing camera does. Its clock and
// its position in the clip go on while it is detached.
type Feed struct {
	// Clip is sent, looped; its Format and FPS are those of the stream
	// (Alt is sent with them too). Audio is not sent.
	Clip Clip
	// Alt is what StreamAltClip sends: an H.264 clip of another size.
	Alt Clip
	// Seed makes the garbage of StreamGarbage repeatable.
	Seed uint64
	// Logger defaults to slog.Default().
	Logger *slog.Logger

	encode func([][]byte) ([]*rtp.Packet, error)
	stop   chan struct{}
	done   chan struct{}

	mu    sync.Mutex
	st    *gortsplib.ServerStream // nil while detached
	medi  *description.Media
	fault StreamFault
	// loss and reorder are the fractions of RTP packets dropped, and held
	// back to go out after the next one (SetLoss).
	loss, reorder float64
}

// Start begins sending; until Publish, to no one.
func (f *Feed) Start() error {
	if f.Clip.FPS <= 0 {
		f.Clip.FPS = 30
	}
	if f.Clip.Format == nil {
		f.Clip.Format = h264()
	}
	if f.Logger == nil {
		f.Logger = slog.Default()
	}
	if len(f.Clip.AccessUnits) == 0 {
		return fmt.Errorf("feed: the clip is empty")
	}
	var err error
	if f.encode, err = (&Server{who: "feed"}).encoder(f.Clip.Format); err != nil {
		return err
	}
	f.stop, f.done = make(chan struct{}), make(chan struct{})
	go f.run()
	return nil
}

// Stop ends sending and waits for it.
func (f *Feed) Stop() {
	close(f.stop)
	<-f.done
}

// Publish serves the feed at path name of srv, replacing any stream it was
// attached to.
func (f *Feed) Publish(srv *Server, name string) error {
	medi := &description.Media{Type: description.MediaTypeVideo, Formats: []format.Format{f.Clip.Format}}
	st, err := srv.Publish(name, &description.Session{Medias: []*description.Media{medi}})
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.st, f.medi = st, medi
	return nil
}

// Detach stops writing to the stream, which its server may then close
// (Server.Unpublish, Server.Close).
func (f *Feed) Detach() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.st, f.medi = nil, nil
}

// SetFault makes the stream misbehave from the next frame on.
func (f *Feed) SetFault(fault StreamFault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fault = fault
}

// SetLoss drops the fraction loss of the RTP packets from the next frame
// on, and holds the fraction reorder back to go out after the packet that
// follows, as a congested network does to a camera on UDP; SetLoss(0, 0)
// ends it. It is done here, where the packets are written, because
// gortsplib's server writes UDP through a *net.UDPConn of its own, which
// nothing can wrap, and a relay between client and server would have to
// rewrite the ports of every SETUP.
func (f *Feed) SetLoss(loss, reorder float64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.loss, f.reorder = loss, reorder
}

func (f *Feed) run() {
	defer close(f.done)
	rng := rand.New(rand.NewPCG(f.Seed, f.Seed+1))
	step := uint32(f.Clip.Format.ClockRate() / f.Clip.FPS)
	tick := time.NewTicker(time.Second / time.Duration(f.Clip.FPS))
	defer tick.Stop()
	clip, i := f.Clip.AccessUnits, f.Clip.Offset
	var ts, jump uint32
	var ssrc uint32 // the stream's, learnt from the packets it sent
	var lastReport time.Time
	var held *rtp.Packet // kept back by SetLoss's reordering
	prev := StreamOK
	for {
		select {
		case <-f.stop:
			return
		case <-tick.C:
		}
		f.mu.Lock()
		st, medi, fault, loss, reorder := f.st, f.medi, f.fault, f.loss, f.reorder
		f.mu.Unlock()
		if fault != prev {
			switch {
			case fault == StreamAltClip:
				clip, i = f.Alt.AccessUnits, 0
			case prev == StreamAltClip:
				clip, i = f.Clip.AccessUnits, 0
			}
			switch {
			case fault == StreamTimeJump:
				jump = TimeJump
			case prev == StreamTimeJump:
				jump = 0
			}
			prev = fault
		}
		pkts, err := f.encode(clip[i%len(clip)])
		if err != nil {
			f.Logger.Error("feed: packetize", "err", err)
			return
		}
		i++
		now, rtpTime := time.Now(), ts+jump
		ts += step
		if st == nil {
			continue
		}
		if fault == StreamNoVideo {
			if now.Sub(lastReport) >= time.Second {
				lastReport = now
				sr := &rtcp.SenderReport{SSRC: ssrc, NTPTime: ntpTime(now), RTPTime: rtpTime}
				if err := st.WritePacketRTCP(medi, sr); err != nil {
					f.Logger.Debug("feed: write RTCP", "err", err)
				}
			}
			continue
		}
		for _, p := range pkts {
			p.Timestamp = rtpTime
			if fault == StreamGarbage {
				// A new payload: the packetizer's may share the clip's bytes.
				junk := make([]byte, len(p.Payload))
				for j := range junk {
					junk[j] = byte(rng.Uint32())
				}
				p.Payload = junk
			}
			if loss > 0 || reorder > 0 {
				switch r := rng.Float64(); {
				case r < loss:
					continue
				case r < loss+reorder && held == nil:
					held = p
					continue
				}
			}
			f.write(st, medi, p, now)
			ssrc = p.SSRC // the stream sets it
			if held != nil {
				f.write(st, medi, held, now)
				held = nil
			}
		}
	}
}

func (f *Feed) write(st *gortsplib.ServerStream, medi *description.Media, p *rtp.Packet, ntp time.Time) {
	if err := st.WritePacketRTPWithNTP(medi, p, ntp); err != nil {
		f.Logger.Debug("feed: write", "err", err)
	}
}

// ntpTime is t in RTCP's NTP format: seconds since 1900 in the upper 32
// bits, the fraction in the lower.
func ntpTime(t time.Time) uint64 {
	const unixToNTP = 2208988800
	ns := uint64(t.UnixNano()) + unixToNTP*uint64(time.Second)
	return ns/uint64(time.Second)<<32 | (ns%uint64(time.Second))<<32/uint64(time.Second)
}
