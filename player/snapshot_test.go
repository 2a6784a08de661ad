package player

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camwall/camwall/assets"
	"github.com/camwall/camwall/decoder"
	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/storage"
)

func TestSnapshotIsTheNewestFrameAtFullResolutionNotTheTile(t *testing.T) {
	srv := playtest.StartDemo(t, 1)
	s := play(t, Config{Name: "demo", URL: srv.URL(1)}) // a 320x240 tile
	playtest.WaitFor(t, 20*time.Second, "no frame published", func() bool { return s.Frames().Published() > 0 })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	before := time.Now()
	pic, at, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer pic.Free()
	if pic.Width() != 640 || pic.Height() != 360 {
		t.Errorf("snapshot %dx%d, want the source's 640x360", pic.Width(), pic.Height())
	}
	if at.After(time.Now()) || before.Sub(at) > time.Second {
		t.Errorf("decoded at %v, want within the last second before %v", at, before)
	}
	img, err := pic.RGBA()
	if err != nil {
		t.Fatal(err)
	}
	clip := assets.DemoClip
	r := clip.Red
	if got := img.RGBAAt((r[0]+r[2])/2, (r[1]+r[3])/2); got.R < 200 || got.G > 60 || got.B > 60 {
		t.Errorf("the red square's centre is %v in the snapshot", got)
	}
	if tile, ok := takePublished(s.Frames()); ok && (tile.Bounds().Dx() != 320 || tile.Bounds().Dy() != 180) {
		t.Errorf("the tile's picture became %v", tile.Bounds())
	}

	// Later snapshots follow the stream, each an independent reference.
	time.Sleep(100 * time.Millisecond)
	pic2, at2, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer pic2.Free()
	if !at2.After(at) {
		t.Errorf("a snapshot 100 ms later was decoded at %v, not after %v", at2, at)
	}
	again, err := pic.RGBA()
	if err != nil || string(again.Pix) != string(img.Pix) {
		t.Errorf("the first snapshot's pixels changed while the stream went on (err %v)", err)
	}
}

func TestSnapshotWaitsForTheFirstFrame(t *testing.T) {
	srv := playtest.StartDemo(t, 1)
	s := New(Config{Name: "demo", URL: srv.URL(1)})
	s.Start()
	defer s.Close()
	// Straight after Start: the session is still connecting.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	pic, _, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer pic.Free()
	if pic.Width() != 640 {
		t.Errorf("snapshot %dx%d", pic.Width(), pic.Height())
	}
}

func TestCaptureTakesOneFrameHeadless(t *testing.T) {
	srv := playtest.StartDemo(t, 1)
	settle := goroutinesSettle(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	pic, _, err := Capture(ctx, Config{Name: "demo", URL: srv.URL(1), Logger: quietLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	// The session is gone; its picture stays valid.
	img, err := pic.YCbCr()
	pic.Free()
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != 640 || img.Bounds().Dy() != 360 {
		t.Errorf("capture %v, want 640x360", img.Bounds())
	}
	settle()
}

func TestSnapshotRefusedWhenTheCameraIsNotLive(t *testing.T) {
	srv := playtest.StartDemo(t, 1)
	refused := playtest.FreeTCPAddr(t)
	closed := New(Config{Name: "closed", URL: srv.URL(1)})
	closed.Start()
	closed.Close()
	tests := []struct {
		name    string
		session *Session
		timeout time.Duration
		within  time.Duration // how soon it must give up
		want    string
	}{
		{"failed configuration, at once", started(New(Config{Name: "x", URL: "ftp://127.0.0.1/x", Logger: quietLogger(t)})),
			5 * time.Second, time.Second, "camera is not live (failed: unsupported URL scheme"},
		{"closed session, at once", closed, 5 * time.Second, 100 * time.Millisecond, "camera is not live (closed)"},
		{"never started, at the deadline", New(Config{Name: "x", URL: srv.URL(1)}),
			200 * time.Millisecond, time.Second, "camera is not live (not started)"},
		{"refused, as soon as the next retry is too late, without the password",
			started(New(Config{Name: "x", URL: "rtsp://admin:s3cret@" + refused + "/x", Logger: quietLogger(t)})),
			time.Second, 900 * time.Millisecond, "camera is not live (reconnecting: connection refused"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer tc.session.Close()
			ctx, cancel := context.WithTimeout(context.Background(), tc.timeout)
			defer cancel()
			start := time.Now()
			pic, _, err := tc.session.Snapshot(ctx)
			took := time.Since(start)
			if err == nil {
				pic.Free()
				t.Fatal("snapshot of a camera that is not live succeeded")
			}
			if !errors.Is(err, ErrNotLive) || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("err = %q, want ErrNotLive and %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("the error shows the password: %q", err)
			}
			if took > tc.within {
				t.Errorf("gave up after %v, want within %v", took, tc.within)
			}
		})
	}
}

func started(s *Session) *Session {
	s.Start()
	return s
}

// TestNewestFrameIsDroppedWithTheConnectionAndWakesWaiters drives the holder
// the decode loop uses with real frames.
func TestNewestFrameIsDroppedWithTheConnectionAndWakesWaiters(t *testing.T) {
	aus, err := assets.DemoAccessUnits()
	if err != nil {
		t.Fatal(err)
	}
	dec, err := decoder.New(decoder.Config{Codec: decoder.H264})
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	var n newestFrame
	defer n.drop()
	_, _, _, wake, err := n.take(time.Time{})
	if err != nil || wake == nil {
		t.Fatalf("take with no frame: wake %v, err %v", wake, err)
	}
	at := time.Now()
	err = dec.Decode(decoder.AnnexB(aus[0], nil), 0, func(f *decoder.Frame) error { return n.keep(f, at, nil) })
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-wake:
	default:
		t.Fatal("a waiter was not woken by the first frame")
	}
	pic, gotAt, _, _, err := n.take(time.Time{})
	if err != nil || pic == nil || !gotAt.Equal(at) {
		t.Fatalf("take after a frame: %v %v %v", pic, gotAt, err)
	}
	n.drop()
	if p, _, _, wake, _ := n.take(time.Time{}); p != nil || wake == nil {
		t.Error("a frame is still there after the connection ended")
	}
	// The picture taken before stays the taker's.
	if _, err := pic.YCbCr(); err != nil {
		t.Error(err)
	}
	pic.Free()
}

// TestSnapshotAllDoesNotStallTheTiles takes snapshots of every camera of a
// wall, again and again, while it plays, and holds the snapshots' writing up
// (a slow disk): the tiles go on publishing pictures all along, since a
// snapshot takes a reference to a decoded frame and leaves the encoding and
// writing to the Snapshotter's workers. The drops and the longest gap
// between pictures are logged; on an idle machine they are 0 and about a
// frame (BenchmarkSnapshotAll16x1080p measures the snapshots' cost), and a
// loaded machine may drop frames whatever snapshots do, so they are not
// asserted.
func TestSnapshotAllDoesNotStallTheTiles(t *testing.T) {
	const cameras = 8
	srv := playtest.StartDemo(t, cameras)
	var sessions []*Session
	gaps := make([]atomic.Int64, cameras) // longest wait between two published pictures
	for i := range cameras {
		var last atomic.Int64
		s := play(t, Config{Name: cameraName(i), URL: srv.URL(i + 1), Logger: quietLogger(t), OnFrame: func(e FrameEvent) {
			now := e.Published.UnixNano()
			if prev := last.Swap(now); prev != 0 && now-prev > gaps[i].Load() {
				gaps[i].Store(now - prev)
			}
		}})
		sessions = append(sessions, s)
	}
	for _, s := range sessions {
		waitState(t, s, 20*time.Second, StateLive)
	}
	time.Sleep(300 * time.Millisecond) // past the start-up bursts
	for i := range gaps {
		gaps[i].Store(0)
	}
	before := make([]uint64, cameras)
	for i, s := range sessions {
		before[i] = s.Status().Dropped
	}

	// One worker, held up by the first snapshot's completion until the
	// tiles have shown they go on without it.
	snaps := &storage.Snapshotter{Settings: storage.SnapshotSettings{Dir: t.TempDir()}, Workers: 1}
	if err := snaps.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer snaps.Close()
	release := make(chan struct{})
	var released sync.Once
	letGo := func() { released.Do(func() { close(release) }) }
	defer letGo() // before snaps.Close, should the test end early
	var held sync.Once
	var mu sync.Mutex
	written := 0
	const rounds = 3
	for range rounds {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		for _, s := range sessions {
			pic, at, err := s.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			err = snaps.Submit(storage.Request{Camera: s.Name(), Time: at, Source: pic, Done: func(r storage.Result) {
				if r.Err != nil {
					t.Error(r.Err)
				}
				held.Do(func() { <-release })
				mu.Lock()
				written++
				mu.Unlock()
			}})
			if err != nil {
				t.Fatal(err)
			}
		}
		cancel()
	}
	// The snapshots are outstanding; a second of video more on every tile.
	published := make([]uint64, cameras)
	for i, s := range sessions {
		published[i] = s.Frames().Published()
	}
	for i, s := range sessions {
		playtest.WaitFor(t, 20*time.Second, s.Name()+" stopped publishing while its snapshots were being written", func() bool {
			return s.Frames().Published() >= published[i]+30
		})
	}
	letGo()
	snaps.Wait()
	if written != rounds*cameras {
		t.Errorf("%d snapshots written, want %d", written, rounds*cameras)
	}
	for i, s := range sessions {
		st := s.Status()
		if st.State != StateLive {
			t.Errorf("%s: %s after the snapshots, want live", s.Name(), describe(st))
		}
		t.Logf("%s: %d access units dropped, longest gap between pictures %v", s.Name(), st.Dropped-before[i], time.Duration(gaps[i].Load()))
	}
}

func cameraName(i int) string { return "camera " + string(rune('A'+i)) }

// quietLogger keeps the expected warnings of failing sessions out of the
// test output, unless the test fails.
func quietLogger(t *testing.T) *slog.Logger {
	return playtest.Logger(t, slog.LevelError)
}
