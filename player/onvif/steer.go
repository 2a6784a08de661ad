package onvif

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// Steering runs one camera's pan/tilt/zoom for a user holding keys: moves
// are sent in the order asked, on a goroutine of its own so that the UI
// never waits on the network; a held move is renewed before the device's
// timeout ends it, and a release sends Stop. Should this program or the
// network go away mid-move, the device stops by itself at the timeout.
type Steering struct {
	client  *Client
	profile string
	log     *slog.Logger
	onError func(error)
	onReady func([]Preset)

	ctx    context.Context
	cancel context.CancelFunc
	cmds   chan steerCmd
	done   chan struct{}

	// connected is whether the device's services are known, noPTZ that
	// the camera cannot steer, readied that OnReady was called; only the
	// steering goroutine touches them (and profile, once resolved).
	connected, noPTZ, readied bool

	mu      sync.Mutex
	presets []Preset
}

// MoveTimeout is how long the device keeps moving after the last renewal;
// moves are renewed every MoveTimeout/2 while held.
const MoveTimeout = time.Second

type steerCmd struct {
	move   *Velocity // nil: stop
	preset string
	// pulse, when set, ends the move after this long (a wheel step).
	pulse time.Duration
}

// SteeringConfig is one camera to steer.
type SteeringConfig struct {
	Device Config
	// Profile is the token of the profile steered; "" means the largest.
	Profile string
	Log     *slog.Logger
	// OnReady, when set, is called once the camera said it can steer, with
	// its presets; a camera that cannot is reported to OnError as
	// ErrNoPTZ, and every command to it is dropped. Both are called on the
	// steering goroutine, OnError with a failed command's error.
	OnReady func([]Preset)
	OnError func(error)
}

// StartSteering begins steering; Connect runs on the steering goroutine,
// so it returns at once.
func StartSteering(cfg SteeringConfig) (*Steering, error) {
	c, err := New(cfg.Device)
	if err != nil {
		return nil, err
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Steering{client: c, profile: cfg.Profile, log: cfg.Log, onError: cfg.OnError, onReady: cfg.OnReady,
		ctx: ctx, cancel: cancel, cmds: make(chan steerCmd, 16), done: make(chan struct{})}
	go s.run()
	return s, nil
}

// Move starts (or changes) a continuous move, held until Stop.
func (s *Steering) Move(v Velocity) { s.send(steerCmd{move: &v}) }

// Stop ends the move.
func (s *Steering) Stop() { s.send(steerCmd{}) }

// Pulse moves for d, then stops.
func (s *Steering) Pulse(v Velocity, d time.Duration) { s.send(steerCmd{move: &v, pulse: d}) }

// GotoPreset moves to preset n (1-based, in the device's order); false when
// the camera has no such preset (known after the first connection).
func (s *Steering) GotoPreset(n int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n < 1 || n > len(s.presets) {
		return false
	}
	s.send(steerCmd{preset: s.presets[n-1].Token})
	return true
}

// Presets are the camera's stored positions, once read.
func (s *Steering) Presets() []Preset {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Preset(nil), s.presets...)
}

// send queues a command; when the queue is full (a network that does not
// answer), the newest command replaces nothing and is dropped, except a
// stop, which the run loop also sends when it ends.
func (s *Steering) send(c steerCmd) {
	select {
	case s.cmds <- c:
	default:
		s.log.Debug("PTZ command dropped: the camera is not keeping up")
	}
}

// Close stops any move and ends the steering goroutine.
func (s *Steering) Close() {
	s.cancel()
	<-s.done
	s.client.Close()
}

func (s *Steering) run() {
	defer close(s.done)
	s.do(func(context.Context) error { return nil }) // connect now, to know the presets
	var held *Velocity
	var heldUntil time.Time // zero: until released
	renew := time.NewTicker(MoveTimeout / 2)
	defer renew.Stop()
	pulse := time.NewTimer(0)
	<-pulse.C
	defer pulse.Stop()
	for {
		select {
		case <-s.ctx.Done():
			if held != nil {
				// A last Stop, bounded: closing must not wait on a camera
				// that went away; its own timeout stops it then.
				ctx, cancel := context.WithTimeout(context.Background(), MoveTimeout)
				_ = s.client.Stop(ctx, s.profile)
				cancel()
			}
			return
		case c := <-s.cmds:
			switch {
			case c.preset != "":
				held = nil
				s.do(func(ctx context.Context) error { return s.client.GotoPreset(ctx, s.profile, c.preset) })
			case c.move != nil:
				held, heldUntil = c.move, time.Time{}
				if c.pulse > 0 {
					heldUntil = time.Now().Add(c.pulse)
					pulse.Reset(c.pulse)
				}
				v := *held
				s.do(func(ctx context.Context) error { return s.client.Move(ctx, s.profile, v, MoveTimeout) })
			default:
				held = nil
				s.do(func(ctx context.Context) error { return s.client.Stop(ctx, s.profile) })
			}
			renew.Reset(MoveTimeout / 2)
		case <-pulse.C:
			if held != nil && !heldUntil.IsZero() && !time.Now().Before(heldUntil) {
				held = nil
				s.do(func(ctx context.Context) error { return s.client.Stop(ctx, s.profile) })
			}
		case <-renew.C:
			if held != nil && heldUntil.IsZero() {
				v := *held
				s.do(func(ctx context.Context) error { return s.client.Move(ctx, s.profile, v, MoveTimeout) })
			}
		}
	}
}

// do runs one command within a move's timeout (a command that takes longer
// is stale by the time it would arrive), connecting first when the last
// connection failed.
func (s *Steering) do(fn func(ctx context.Context) error) {
	if s.noPTZ {
		return
	}
	if !s.connected {
		ctx, cancel := context.WithTimeout(s.ctx, s.client.cfg.Timeout)
		presets, err := s.connect(ctx)
		cancel()
		if errors.Is(err, ErrNoPTZ) {
			s.noPTZ = true
		}
		if err != nil {
			if s.ctx.Err() == nil {
				s.failed(err)
			}
			return
		}
		s.mu.Lock()
		s.presets = presets
		s.mu.Unlock()
		s.connected = true
		if s.onReady != nil && !s.readied {
			s.readied = true
			s.onReady(presets)
		}
	}
	ctx, cancel := context.WithTimeout(s.ctx, MoveTimeout)
	defer cancel()
	if err := fn(ctx); err != nil && s.ctx.Err() == nil {
		s.failed(err)
		s.connected = false // the device may have restarted: read its services again
	}
}

// connect reads the device's services and the profile steered, and the
// presets: ErrNoPTZ when the profile has no PTZ configuration.
func (s *Steering) connect(ctx context.Context) ([]Preset, error) {
	info, err := s.client.Connect(ctx)
	if err != nil {
		return nil, err
	}
	if !info.PTZ {
		return nil, ErrNoPTZ
	}
	profiles, err := s.client.Profiles(ctx)
	if err != nil {
		return nil, err
	}
	if s.profile == "" {
		s.profile = Main(profiles).Token
	}
	i := slices.IndexFunc(profiles, func(p Profile) bool { return p.Token == s.profile })
	if i < 0 || profiles[i].PTZ == "" {
		return nil, ErrNoPTZ
	}
	presets, err := s.client.Presets(ctx, s.profile)
	if err != nil {
		var f *Fault
		if !errors.As(err, &f) {
			return nil, err
		}
		presets = nil // a camera without presets still steers
	}
	return presets, nil
}

func (s *Steering) failed(err error) {
	s.log.Warn("PTZ command failed", "err", err)
	if s.onError != nil {
		s.onError(err)
	}
}
