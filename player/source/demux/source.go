package demux

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
	"github.com/camwall/camwall/player/redact"
	"github.com/camwall/camwall/player/source"
)

// Config is one demuxed input.
type Config struct {
	// URL is a udp://, tcp://, http:// or file:// URL. An http:// URL may
	// hold a user and password, which User and Password replace when set.
	URL            string
	User, Password string
	// ReadTimeout ends an attempt that receives nothing for this long,
	// during the open as well as later.
	ReadTimeout time.Duration
	// Stalled explains, after "no video received for 5s", why that may be
	// (a GoPro asleep); it starts with ": ".
	Stalled string
}

// Source plays one demuxed input.
type Source struct {
	cfg Config
	// input is what FFmpeg opens, shown what messages show.
	input, shown string
	// live inputs get FFmpeg's low-latency options; a file is paced at its
	// timestamps and loops at its end.
	live bool
	addr string
	// http is set for an http:// input.
	http bool
}

// New checks the URL and works out how it is read.
func New(cfg Config) (*Source, error) {
	shown := redact.URL(cfg.URL)
	u, err := url.Parse(cfg.URL)
	if err != nil {
		return nil, &source.Error{Reason: "invalid camera URL: " + shown, Permanent: true, Err: errors.Join(source.ErrBadURL, err)}
	}
	src := &Source{cfg: cfg, input: cfg.URL, shown: shown, live: true}
	switch strings.ToLower(u.Scheme) {
	case "file":
		if u.Path == "" {
			return nil, &source.Error{Reason: "invalid file URL " + shown + ": want file:///absolute/path",
				Permanent: true, Err: source.ErrBadURL}
		}
		// FFmpeg's file protocol takes a path, not a URL: no percent-escapes.
		src.input, src.live = "file:"+u.Path, false
	case "http", "tcp":
		if cfg.User != "" || cfg.Password != "" {
			// FFmpeg's http protocol takes its credentials from the URL.
			u.User = url.UserPassword(cfg.User, cfg.Password)
			src.input = u.String()
		}
		port := u.Port()
		if port == "" {
			port = "80"
		}
		src.addr = net.JoinHostPort(u.Hostname(), port)
		src.http = strings.EqualFold(u.Scheme, "http")
	}
	return src, nil
}

// Address is where a tcp:// or http:// input is served; "" for the rest.
func (d *Source) Address() string { return d.addr }

// Play runs one attempt: it opens the input, then reads access units until
// the input ends or fails. A watchdog interrupts FFmpeg when nothing has
// arrived for ReadTimeout, during the open as well as later, since a UDP
// input nobody sends to would otherwise wait for ever. Every error it
// returns is a *source.Error.
func (d *Source) Play(ctx context.Context, sink source.Sink) error {
	dm := decoder.NewDemuxer()
	defer dm.Close()
	stop := context.AfterFunc(ctx, dm.Interrupt)
	defer stop()
	wd := startWatchdog(d.cfg.ReadTimeout, dm.Interrupt)
	defer wd.stop()

	err := dm.Open(d.input, decoder.DemuxOptions{LowLatency: d.live, Audio: true, Name: d.shown, Log: sink.Log()})
	if err == nil {
		wd.alive()
		sink.Begin(dm.Codec())
		err = d.read(ctx, dm, sink, wd)
	}
	return d.failed(ctx, wd, err)
}

// failed words an attempt's end.
func (d *Source) failed(ctx context.Context, wd *watchdog, err error) error {
	switch {
	case ctx.Err() != nil:
		return source.ErrClosed
	case wd.fired():
		return &source.Error{Reason: fmt.Sprintf("no video received for %s%s", d.cfg.ReadTimeout.Round(100*time.Millisecond), d.cfg.Stalled),
			Fleeting: true, Err: errors.Join(errStalled, err)}
	case d.addr != "" && errors.Is(err, syscall.EIO):
		// FFmpeg's http says EIO for a redirect it did not follow.
		if d.http {
			if e := redirected(ctx, d.cfg.URL); e != nil {
				return e
			}
		}
		// FFmpeg's TCP says EIO, and only in its log why: most often a
		// host name that does not resolve.
		return &source.Error{Reason: "could not connect to " + d.addr + ": check the host name (input/output error)", Err: err}
	}
	return explain(err)
}

var errStalled = errors.New("no data before the read timeout")

// read moves packets from the demuxer to the sink until the input ends or
// fails. A file is paced at its timestamps, as a camera would send it, and
// starts over at its end.
func (d *Source) read(ctx context.Context, dm *decoder.Demuxer, sink source.Sink, wd *watchdog) error {
	var pace pacer
	var au *audio
	if info, ok := dm.AudioInfo(); ok {
		au = &audio{info: info}
	}
	for {
		p, err := dm.Read()
		if errors.Is(err, io.EOF) && !d.live {
			if err := dm.Rewind(); err != nil {
				return fmt.Errorf("loop to the start of the file: %w", err)
			}
			continue
		}
		if err != nil {
			return err
		}
		wd.alive()
		if p.Audio {
			au.deliver(p, sink)
			continue
		}
		if !d.live {
			// In decoding order, as a camera sends.
			if err := pace.wait(ctx, p.DTS); err != nil {
				return err
			}
		}
		sink.Deliver(source.Unit{Data: p.Data, PTS: p.PTS, DTS: p.DTS, Key: p.Key})
	}
}

// pacer holds a file's packets back until their time, counted from the
// first packet read.
type pacer struct {
	start time.Time
	first int64
}

func (p *pacer) wait(ctx context.Context, ts int64) error {
	if p.start.IsZero() {
		p.start, p.first = time.Now(), ts
	}
	due := p.start.Add(ticks(ts - p.first))
	if d := time.Until(due); d > 0 {
		select {
		case <-ctx.Done():
			return source.ErrClosed
		case <-time.After(d):
		}
	}
	return nil
}

// ticks is a 90 kHz count as a duration, in two steps so that it does not
// overflow after 28 hours as n * time.Second would.
func ticks(n int64) time.Duration {
	return time.Duration(n/90000)*time.Second + time.Duration(n%90000)*time.Second/90000
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
