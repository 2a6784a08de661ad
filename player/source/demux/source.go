package player

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/camwall/camwall/decoder"
)

// demuxSource plays any input FFmpeg's demuxer opens: udp:// and tcp://
// MPEG-TS, http:// MJPEG (the multipart kind IP cameras serve), and files,
// which play at their own frame rate and loop, so a file can stand in for a
// camera.
type demuxSource struct {
	input string
	plan  demuxPlan
	addr  string
}

// demuxPlan is how an input is read.
type demuxPlan struct {
	// live inputs get FFmpeg's low-latency options; a file is read as it is.
	live bool
	// file inputs are paced at their timestamps and loop at their end.
	file bool
	// stalled explains, after "no video received for 5s", why that may be.
	stalled string
}

func newDemuxSource(u *url.URL, raw string) (*demuxSource, error) {
	src := &demuxSource{input: raw, plan: demuxPlan{live: true}}
	switch strings.ToLower(u.Scheme) {
	case "file":
		if u.Path == "" {
			return nil, &Error{Reason: "invalid file URL " + Redact(raw) + ": want file:///absolute/path",
				Permanent: true, Err: ErrBadURL}
		}
		// FFmpeg's file protocol takes a path, not a URL: no percent-escapes.
		src.input = "file:" + u.Path
		src.plan = demuxPlan{file: true}
	case "http", "tcp":
		port := u.Port()
		if port == "" {
			port = "80"
		}
		src.addr = net.JoinHostPort(u.Hostname(), port)
	}
	return src, nil
}

func (d *demuxSource) address() string { return d.addr }

func (d *demuxSource) play(ctx context.Context, s *Session) error {
	err := s.playDemuxed(ctx, d.input, d.plan)
	// FFmpeg's TCP says EIO, and only in its log why: most often a host
	// name that does not resolve.
	if d.addr != "" && errors.Is(err, syscall.EIO) {
		return &Error{Reason: "could not connect to " + d.addr + ": check the host name (input/output error)", Err: err}
	}
	return err
}

// playDemuxed runs one attempt on a demuxed input: it opens input, then
// reads access units on a goroutine of its own while the session's goroutine
// decodes them, as for RTSP. A watchdog interrupts FFmpeg when nothing has
// arrived for ReadTimeout, during the open as well as later, since a UDP
// input nobody sends to would otherwise wait for ever.
func (s *Session) playDemuxed(ctx context.Context, input string, plan demuxPlan) error {
	dm := decoder.NewDemuxer()
	defer dm.Close()
	stop := context.AfterFunc(ctx, dm.Interrupt)
	defer stop()
	wd := startWatchdog(s.cfg.ReadTimeout, dm.Interrupt)
	defer wd.stop()

	if err := dm.Open(input, decoder.DemuxOptions{LowLatency: plan.live}); err != nil {
		return s.demuxFailed(ctx, wd, plan, err) // the demuxer's errors say what it opened
	}
	wd.alive()
	codec := dm.Codec()
	enq := newEnqueuer(&s.stats)
	epoch := s.attempts.Add(1)
	enq.tap = func(au accessUnit) { s.recordTap(au, codec, epoch) }

	srcErr := make(chan error, 1)
	read := make(chan struct{})
	go func() {
		defer close(read)
		srcErr <- readDemuxed(ctx, dm, enq, plan, wd)
	}()
	err := s.decodeLoop(ctx, codec, enq.q, srcErr)
	dm.Interrupt()
	<-read // no goroutine outlives the attempt
	if errors.Is(err, errClosed) {
		return err
	}
	return s.demuxFailed(ctx, wd, plan, err)
}

// demuxFailed words a demuxed attempt's end.
func (s *Session) demuxFailed(ctx context.Context, wd *watchdog, plan demuxPlan, err error) error {
	switch {
	case ctx.Err() != nil:
		return errClosed
	case wd.fired():
		return &Error{Reason: fmt.Sprintf("no video received for %s%s", s.cfg.ReadTimeout.Round(100*time.Millisecond), plan.stalled),
			Err: errors.Join(errStalled, err)}
	}
	return explainDemux(err)
}

var errStalled = errors.New("no data before the read timeout")

// readDemuxed moves packets from the demuxer to the decoder's queue until
// the input ends or fails. A file is paced at its timestamps, as a camera
// would send it, and starts over at its end.
func readDemuxed(ctx context.Context, dm *decoder.Demuxer, enq *enqueuer, plan demuxPlan, wd *watchdog) error {
	var start time.Time
	var first int64
	for {
		p, err := dm.Read()
		if errors.Is(err, io.EOF) && plan.file {
			if err := dm.Rewind(); err != nil {
				return fmt.Errorf("loop to the start of the file: %w", err)
			}
			continue
		}
		if err != nil {
			return err
		}
		wd.alive()
		if plan.file {
			if start.IsZero() {
				start, first = time.Now(), p.PTS
			}
			due := start.Add(time.Duration(p.PTS-first) * time.Second / 90000)
			if d := time.Until(due); d > 0 {
				select {
				case <-ctx.Done():
					return errClosed
				case <-time.After(d):
				}
			}
		}
		enq.push(accessUnit{data: p.Data, pts: p.PTS, key: p.Key})
	}
}

// watchdog calls its function when alive has not been called for a while.
type watchdog struct {
	last  atomic.Int64 // unix nanoseconds of the last sign of life
	fire  atomic.Bool
	done  chan struct{}
	ended chan struct{}
}

func startWatchdog(timeout time.Duration, onStall func()) *watchdog {
	w := &watchdog{done: make(chan struct{}), ended: make(chan struct{})}
	w.alive()
	go func() {
		defer close(w.ended)
		t := time.NewTicker(max(timeout/10, 10*time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-w.done:
				return
			case now := <-t.C:
				if now.Sub(time.Unix(0, w.last.Load())) >= timeout {
					w.fire.Store(true)
					onStall()
					return
				}
			}
		}
	}()
	return w
}

func (w *watchdog) alive()      { w.last.Store(time.Now().UnixNano()) }
func (w *watchdog) fired() bool { return w.fire.Load() }
func (w *watchdog) stop()       { close(w.done); <-w.ended }
