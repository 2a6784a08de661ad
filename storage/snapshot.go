package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/camwall/camwall/player/source"
)

// Source is the frame a snapshot is made of. Image is called once, on a
// Snapshotter worker, and Free right after (decoder.Picture is a Source:
// converting a full-resolution frame is the costly part, kept off the
// camera's decode goroutine and the UI's). For JPEG, a *image.YCbCr is
// encoded fastest.
type Source interface {
	Image() (image.Image, error)
	Free()
}

// rgbaSource is a Source that also converts itself to RGBA, which a PNG
// snapshot asks for instead of Image: decoder.Picture's YCbCr image would be
// encoded by png pixel by pixel, with its chroma upsampled crudely.
type rgbaSource interface {
	RGBA() (*image.RGBA, error)
}

// ImageSource is a Source for an image already at hand.
func ImageSource(img image.Image) Source { return imageSource{img} }

type imageSource struct{ img image.Image }

func (s imageSource) Image() (image.Image, error) { return s.img, nil }
func (imageSource) Free()                         {}

// Request is one snapshot to save.
type Request struct {
	// Camera is the camera's name as configured; the file name holds it
	// sanitised (SanitizeName).
	Camera string
	// Time is when the frame was decoded, the file name's {timestamp}; zero
	// means now.
	Time time.Time
	// Source is the frame. The Snapshotter owns it from Submit on and frees
	// it, whatever happens.
	Source Source
	// Done, when set, receives the outcome, once, on a worker goroutine, for
	// every request Submit accepted. It must not block for long.
	Done func(Result)
}

// Result is the outcome of one Request.
type Result struct {
	Camera string
	// Path is the absolute path of the file written; "" when Err is set.
	Path string
	// Err is a *SnapshotError when the snapshot was not saved.
	Err error
	// Took is how long encoding and writing took, queueing excluded.
	Took time.Duration
}

// Snapshotter encodes and writes snapshots on a small pool of worker
// goroutines. Set the fields, Start it, Submit requests from any goroutine,
// and Close it when done. The pool is small on purpose: encoding a 1080p JPEG
// takes about 50 ms of CPU, and a snapshot of every camera must not take so
// many cores from the decoders that a tile misses a frame.
type Snapshotter struct {
	// Settings say where and how; defaults are applied by Start.
	Settings SnapshotSettings
	// Workers encoding at once; 0 means defaultWorkers.
	Workers int
	// Queue is how many accepted requests may wait for a worker (each holds
	// a frame: about 3 MB at 1080p); 0 means 64, enough for a snapshot of
	// every camera a wall can show, several times over.
	Queue int

	settings SnapshotSettings // resolved
	ctx      context.Context
	queue    chan Request
	workers  sync.WaitGroup

	mu      sync.Mutex
	started bool
	closed  bool
	pending int
	idle    *sync.Cond
}

// defaultWorkers is half the CPUs, but 2 on a dual-core machine: measured
// there with 16 cameras playing, a second worker still made no session drop
// a frame (the decoders' threads share the CPU with the workers, they are not
// queued behind them), and it halves a snapshot of a whole wall.
func defaultWorkers(cpus int) int {
	return max(min(2, cpus), cpus/2)
}

// Errors of Submit, wrapped in a *SnapshotError.
var (
	ErrSnapshotsBusy   = errors.New("snapshot queue full")
	ErrSnapshotsClosed = errors.New("snapshotter not running")
)

// Start resolves the settings and starts the workers. When ctx ends, the
// requests still queued are reported as cancelled, and a file being written
// is abandoned before it gets its name.
func (s *Snapshotter) Start(ctx context.Context) error {
	settings, err := s.Settings.Resolved()
	if err != nil {
		return fmt.Errorf("start snapshots: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started || s.closed {
		return errors.New("start snapshots: already started")
	}
	s.started = true
	s.settings = settings
	s.ctx = ctx
	s.idle = sync.NewCond(&s.mu)
	workers := s.Workers
	if workers <= 0 {
		workers = defaultWorkers(runtime.GOMAXPROCS(0))
	}
	queue := s.Queue
	if queue <= 0 {
		queue = 64
	}
	s.queue = make(chan Request, queue)
	for range workers {
		s.workers.Go(s.work)
	}
	return nil
}

// Dir is the folder snapshots go to, once started.
func (s *Snapshotter) Dir() string { return s.settings.Dir }

// Submit queues a snapshot without blocking. It refuses, with a
// *SnapshotError, when the Snapshotter is not running or its queue is full;
// r.Done is then not called. r.Source is freed either way.
func (s *Snapshotter) Submit(r Request) error {
	if r.Time.IsZero() {
		r.Time = time.Now()
	}
	err := s.enqueue(r)
	if err != nil && r.Source != nil {
		r.Source.Free()
	}
	return err
}

func (s *Snapshotter) enqueue(r Request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.started || s.closed {
		return &SnapshotError{Camera: r.Camera, Reason: ReasonClosed, Err: ErrSnapshotsClosed}
	}
	select {
	case s.queue <- r:
		s.pending++
		return nil
	default:
		return &SnapshotError{Camera: r.Camera, Reason: ReasonBusy, Err: ErrSnapshotsBusy}
	}
}

// Wait blocks until every request accepted so far has been reported.
func (s *Snapshotter) Wait() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.started && s.pending > 0 {
		s.idle.Wait()
	}
}

// Close stops accepting requests, finishes the queued ones (or reports them
// cancelled, once Start's ctx has ended) and waits for the workers.
func (s *Snapshotter) Close() {
	s.mu.Lock()
	if s.started && !s.closed {
		close(s.queue)
	}
	s.closed = true
	s.mu.Unlock()
	s.workers.Wait()
}

func (s *Snapshotter) work() {
	for r := range s.queue {
		res := s.saveSafely(r)
		if r.Done != nil {
			r.Done(res)
		}
		s.mu.Lock()
		s.pending--
		if s.pending == 0 {
			s.idle.Broadcast()
		}
		s.mu.Unlock()
	}
}

// saveSafely is save, with a panic in it (an encoder fed one camera's
// frame) turned into that snapshot's failure: the worker, and the process,
// go on.
func (s *Snapshotter) saveSafely(r Request) (res Result) {
	defer func() {
		if p := recover(); p != nil {
			e := source.Recovered(slog.Default().With("camera", r.Camera), p)
			res = Result{Camera: r.Camera, Err: &SnapshotError{Camera: r.Camera, Reason: e.Reason, Err: e}}
		}
	}()
	return s.save(r)
}

// save encodes and writes one snapshot.
func (s *Snapshotter) save(r Request) Result {
	start := time.Now()
	res := Result{Camera: r.Camera}
	fail := func(e *SnapshotError) Result {
		e.Camera = r.Camera
		res.Err, res.Took = e, time.Since(start)
		return res
	}
	if r.Source == nil {
		return fail(&SnapshotError{Reason: ReasonNoFrame, Err: errors.New("no frame given")})
	}
	if err := s.ctx.Err(); err != nil {
		r.Source.Free()
		return fail(&SnapshotError{Reason: ReasonCancelled, Err: err})
	}
	var img image.Image
	var err error
	if rs, ok := r.Source.(rgbaSource); ok && s.settings.Format == FormatPNG {
		img, err = rs.RGBA()
	} else {
		img, err = r.Source.Image()
	}
	// The frame's buffer goes back to its decoder as soon as it is converted.
	r.Source.Free()
	if err != nil {
		return fail(&SnapshotError{Reason: ReasonNoFrame, Err: err})
	}
	data, err := encode(img, s.settings.Format, s.settings.Quality)
	if err != nil {
		return fail(&SnapshotError{Reason: ReasonEncode, Err: err})
	}
	rel, err := expandPattern(s.settings.Pattern, r.Camera, r.Time)
	if err != nil {
		return fail(&SnapshotError{Reason: ReasonOutside, Err: err})
	}
	if err := s.ctx.Err(); err != nil {
		return fail(&SnapshotError{Reason: ReasonCancelled, Err: err})
	}
	path, serr := writeSnapshot(s.settings.Dir, rel, data, s.settings.GroupReadable)
	if serr != nil {
		return fail(serr)
	}
	res.Path, res.Took = path, time.Since(start)
	return res
}

// encode makes the file's bytes in memory first: the file is then written
// in one go, and an encoder failure leaves nothing to clean up.
func encode(img image.Image, format string, quality int) ([]byte, error) {
	var buf bytes.Buffer
	// A 1080p JPEG at quality 90 is about half a megabyte.
	buf.Grow(img.Bounds().Dx() * img.Bounds().Dy() / 4)
	var err error
	switch format {
	case FormatPNG:
		// Camera pictures are noisy: the best compression saves little over
		// the fastest, at several times the CPU.
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img)
	default:
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality})
	}
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", format, err)
	}
	return buf.Bytes(), nil
}
