//go:build linux

package soak

import (
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camwall/camwall/player"
	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/source/rtsp"
	"github.com/camwall/camwall/storage"
)

// Options shape one run.
type Options struct {
	// Duration is how long faults are injected, the warm-up included.
	Duration time.Duration
	// Warmup is how long faults run, at least, before the baseline of
	// memory, goroutines and open files is taken; the baseline also waits
	// for every kind of fault to have happened once, so that every code
	// path the faults take has allocated what it keeps.
	Warmup time.Duration
	// Cameras played; every fourth is on UDP, every fourth on auto (UDP on
	// loopback), the others on TCP.
	Cameras int
	// Seed chooses the faults, their cameras and durations, and the
	// server's garbage and losses.
	Seed uint64
	// EveryMin and EveryMax are the range the gap between two faults is
	// drawn from.
	EveryMin, EveryMax time.Duration
	// Kinds, when not empty, are the only faults injected: to hunt down
	// what one kind costs.
	Kinds []Kind
	// Logf reports progress (t.Logf).
	Logf func(format string, args ...any)
}

// tileW and tileH are a tile of a 4x4 grid in camwall's 1280x720 window, the
// size the sessions scale their pictures to.
const tileW, tileH = 320, 180

// giveUp is how long after its fault a camera may take to show a picture
// before the run counts it as not recovered.
const giveUp = time.Minute

// logTail is how long after its recovery a camera's log lines still count
// against its fault: the lines that say it is back.
const logTail = time.Second

// cam is one camera as the run plays it.
type cam struct {
	i         int
	name      string
	transport rtsp.Transport
	s         *player.Session
	frames    atomic.Uint64

	mu sync.Mutex
	// watchFrom is when the camera's fault ended; first the first picture
	// published after it.
	watchFrom, first time.Time
}

// onFrame is the session's OnFrame: every picture published to the tile.
func (c *cam) onFrame(ev player.FrameEvent) {
	c.frames.Add(1)
	c.mu.Lock()
	if !c.watchFrom.IsZero() && c.first.IsZero() && ev.Published.After(c.watchFrom) {
		c.first = ev.Published
	}
	c.mu.Unlock()
}

// record is one fault that hit one camera, and what it cost.
type record struct {
	cam   int
	fault fault
	// start is when the server had begun the fault, end when the run
	// asked it to end it.
	start, end time.Time
	// recovered is when the first picture after end was published; zero:
	// none within giveUp.
	recovered time.Time
	// try is when the session's next attempt after end began (its
	// RetryAt), or end when it was not waiting for one.
	try time.Time
	// reasons the tile showed meanwhile.
	reasons map[string]bool
	// lines the camera logged at Info and up, and at Debug, from start to
	// logTail after recovered; messages are the first of the former.
	lines, debugLines int
	messages          []string
}

func (r *record) fromEnd() time.Duration { return r.recovered.Sub(r.end) }
func (r *record) fromTry() time.Duration { return r.recovered.Sub(r.try) }

// harness is one run.
type harness struct {
	o    Options
	srv  *playtest.ServerChild
	cams []*cam
	logs *logState

	// deck holds the kinds of fault still to come in this round: each
	// kind once a round, in a random order, so that every kind is as
	// frequent and the warm-up can include them all. rounds counts the
	// rounds dealt in full.
	deck   []spec
	rounds int

	mu      sync.Mutex
	busy    map[int]bool // cameras in a fault, or not yet recovered from one
	records []*record
	faults  sync.WaitGroup
	errs    []string
}

// Run plays o.Cameras cameras from a server process while faults hit them,
// and reports what it measured. It fails t only when the run itself cannot
// go on; the Report's Check judges the figures.
func Run(t *testing.T, o Options) *Report {
	user, pass := "soak", fmt.Sprintf("pw-%x", o.Seed*0x9e3779b97f4a7c15|1)
	h := &harness{o: o, busy: map[int]bool{}}
	var err error
	if h.srv, err = startServer(o.Cameras, user, pass, o.Seed); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.srv.Close)

	names := map[string]int{}
	for i := range o.Cameras {
		names[fmt.Sprintf("cam%02d", i)] = i
	}
	h.logs = newLogState(pass, names)
	logger := slog.New(&logCounter{st: h.logs})
	// FFmpeg's own lines go to the default logger.
	old := slog.Default()
	slog.SetDefault(logger)
	t.Cleanup(func() { slog.SetDefault(old) })

	for i, u := range h.srv.URLs {
		c := &cam{i: i, name: fmt.Sprintf("cam%02d", i), transport: transportOf(i)}
		cfg, err := player.CameraConfig(storage.Camera{Name: c.name, URL: u, Transport: string(c.transport), User: user, Password: pass}, false)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Logger, cfg.OnFrame = logger, c.onFrame
		c.s = player.New(cfg)
		c.s.SetTileSize(tileW, tileH)
		c.s.Start()
		t.Cleanup(c.s.Close)
		h.cams = append(h.cams, c)
	}
	stopPaint := h.paint()
	defer stopPaint()

	if !playtest.Eventually(giveUp, func() bool {
		for _, c := range h.cams {
			if c.frames.Load() == 0 {
				return false
			}
		}
		return true
	}) {
		t.Fatalf("not every camera showed a picture within %v of starting", giveUp)
	}
	o.Logf("soak: seed %d, %d cameras live; faults for %v, baseline after %v and a fault of every kind", o.Seed, o.Cameras, o.Duration, o.Warmup)

	rep := &Report{Seed: o.Seed, Options: o}
	rng := rand.New(rand.NewPCG(o.Seed, 0))
	begin := time.Now()
	lastSample := begin
	for {
		now := time.Now()
		if rep.Baseline == nil && now.Sub(begin) >= o.Warmup && h.rounds > 0 {
			h.faults.Wait()
			u := h.quiet(t)
			rep.Baseline = &u
			rep.WarmedUp = time.Since(begin)
			o.Logf("soak: baseline after %v and %d faults: %s", rep.WarmedUp.Round(time.Second), len(h.records), u)
			now, lastSample = time.Now(), time.Now()
		}
		if now.Sub(begin) >= o.Duration {
			break
		}
		if now.Sub(lastSample) >= o.Duration/6 {
			lastSample = now
			o.Logf("soak: %v in, %d faults: %s", now.Sub(begin).Round(time.Second), len(h.records), sample())
		}
		h.inject(rng)
		gap := o.EveryMin + time.Duration(rng.Int64N(int64(o.EveryMax-o.EveryMin)+1))
		time.Sleep(gap)
	}
	h.faults.Wait()
	rep.Final = h.quiet(t)
	o.Logf("soak: end after %d faults: %s", len(h.records), rep.Final)
	for _, c := range h.cams {
		before := c.frames.Load()
		if !playtest.Eventually(5*time.Second, func() bool { return c.frames.Load() > before }) {
			rep.NotLive = append(rep.NotLive, c.name)
		}
	}
	rep.ServerAlive = !h.srv.Exited()

	h.mu.Lock()
	rep.Records, rep.Errors = h.records, h.errs
	h.mu.Unlock()
	h.logs.mu.Lock()
	rep.Panicked, rep.Leaked = h.logs.panicked, h.logs.leaked
	rep.Outside, rep.Unattributed, rep.PanicLines = h.logs.outside, h.logs.unattributed, h.logs.examples
	rep.Drops = h.logs.drops
	h.logs.mu.Unlock()
	return rep
}

// quiet samples the process's usage once every camera is live and has
// been for a moment (a camera may drop without a fault on a loaded
// machine: it then comes back first), so that the baseline and the end
// compare a wall in the same state.
func (h *harness) quiet(t *testing.T) usage {
	t.Helper()
	ok := playtest.Eventually(giveUp, func() bool {
		for _, c := range h.cams {
			if c.s.Status().State != player.StateLive {
				return false
			}
		}
		// What a live wall keeps running settles: connections set up,
		// timers of the last attempts fired.
		time.Sleep(2 * time.Second)
		for _, c := range h.cams {
			if c.s.Status().State != player.StateLive {
				return false
			}
		}
		return true
	})
	if !ok {
		h.fail("not every camera was live within %v, to measure the process", giveUp)
	}
	return sample()
}

// transportOf spreads the transports over the cameras: half TCP, a quarter
// UDP, a quarter auto.
func transportOf(i int) rtsp.Transport {
	switch i % 4 {
	case 2:
		return rtsp.TransportUDP
	case 3:
		return rtsp.TransportAuto
	default:
		return rtsp.TransportTCP
	}
}

// paint takes every tile's newest picture 30 times a second, as the window
// does, so that the sessions' buffers circulate as on the wall.
func (h *harness) paint() (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Second / 30)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			for _, c := range h.cams {
				if img, ok := c.s.Frames().Take(); ok {
					c.s.Frames().Release(img)
				}
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// inject deals the next kind of fault that fits a camera not in one, and
// runs it on that camera (drawn at random among those) on a goroutine of
// its own; nothing when no kind left in the round fits an idle camera.
func (h *harness) inject(rng *rand.Rand) {
	if len(h.deck) == 0 {
		for _, sp := range specs {
			if len(h.o.Kinds) == 0 || slices.Contains(h.o.Kinds, sp.kind) {
				h.deck = append(h.deck, sp)
			}
		}
		rng.Shuffle(len(h.deck), func(i, j int) { h.deck[i], h.deck[j] = h.deck[j], h.deck[i] })
	}
	h.mu.Lock()
	var idle []*cam
	card := 0
	for ; card < len(h.deck) && len(idle) == 0; card++ {
		for _, c := range h.cams {
			if !h.busy[c.i] && h.deck[card].fits(c.transport) {
				idle = append(idle, c)
			}
		}
	}
	if len(idle) == 0 {
		h.mu.Unlock()
		return
	}
	sp := h.deck[card-1]
	h.deck = slices.Delete(h.deck, card-1, card)
	if len(h.deck) == 0 {
		h.rounds++
	}
	c := idle[rng.IntN(len(idle))]
	f := sp.choose(rng)
	rec := &record{cam: c.i, fault: f, reasons: map[string]bool{}}
	h.busy[c.i] = true
	h.records = append(h.records, rec)
	h.faults.Add(1)
	h.mu.Unlock()
	go h.run(c, rec)
}

// run puts rec's fault on c, ends it, and waits for c's next picture.
func (h *harness) run(c *cam, rec *record) {
	defer h.faults.Done()
	h.logs.attribute(c.i, rec)
	if err := h.srv.Send(fmt.Sprintf("start %d %s %s", c.i, rec.fault.kind, rec.fault.param)); err != nil {
		// Counted as not back; the camera stays out of the run.
		h.fail("%s: start %s: %v", c.name, rec.fault.kind, err)
		return
	}
	rec.start = time.Now()
	h.watchReasons(c, rec, rec.start.Add(rec.fault.dur))

	// Any picture published from now on counts, whatever the server is
	// still doing: the instant the end is asked for, not when it is done.
	end := time.Now()
	c.mu.Lock()
	c.watchFrom, c.first = end, time.Time{}
	c.mu.Unlock()
	if err := h.srv.Send(fmt.Sprintf("end %d", c.i)); err != nil {
		h.fail("%s: end %s: %v", c.name, rec.fault.kind, err)
	}
	rec.end, rec.try = end, end
	var retryAt time.Time
	for deadline := end.Add(giveUp); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		c.mu.Lock()
		first := c.first
		c.mu.Unlock()
		if !first.IsZero() {
			rec.recovered = first
			if retryAt.After(end) && !retryAt.After(first) {
				rec.try = retryAt
			}
			break
		}
		st := c.s.Status()
		if st.State == player.StateReconnecting {
			retryAt = st.RetryAt
			rec.reasons[st.Reason] = true
		}
	}
	c.mu.Lock()
	c.watchFrom = time.Time{}
	c.mu.Unlock()
	if rec.recovered.IsZero() {
		h.fail("%s: no picture within %v of the end of %s", c.name, giveUp, rec.fault.kind)
		return // out of the run: it stays busy
	}
	time.Sleep(logTail)
	h.logs.attribute(c.i, nil)
	h.mu.Lock()
	h.busy[c.i] = false
	h.mu.Unlock()
}

// watchReasons notes what c's tile says until t.
func (h *harness) watchReasons(c *cam, rec *record, t time.Time) {
	for ; time.Now().Before(t); time.Sleep(20 * time.Millisecond) {
		if st := c.s.Status(); st.Reason != "" {
			rec.reasons[st.Reason] = true
		}
	}
}

func (h *harness) fail(format string, args ...any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.errs = append(h.errs, fmt.Sprintf(format, args...))
}
