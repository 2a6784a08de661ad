package player

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/camwall/camwall/assets"
	"github.com/camwall/camwall/decoder"
	"github.com/camwall/camwall/storage"
)

// clip1080 decodes player/testdata/snapshot/clip-1080p.h264
// (scripts/make-snapshot-clip.sh) into full-resolution pictures, as sessions
// keep them; the caller frees them.
func clip1080(tb testing.TB) []*decoder.Picture {
	tb.Helper()
	b, err := os.ReadFile("testdata/snapshot/clip-1080p.h264")
	if err != nil {
		tb.Fatalf("%v (run scripts/make-snapshot-clip.sh)", err)
	}
	aus, err := assets.AccessUnits(b)
	if err != nil {
		tb.Fatal(err)
	}
	dec, err := decoder.New(decoder.Config{Codec: decoder.H264})
	if err != nil {
		tb.Fatal(err)
	}
	defer dec.Close()
	var pics []*decoder.Picture
	keep := func(f *decoder.Frame) error {
		p, err := f.Ref()
		if err == nil {
			pics = append(pics, p)
		}
		return err
	}
	var buf []byte
	for i, au := range aus {
		buf = decoder.AnnexB(au, buf)
		if err := dec.Decode(buf, int64(i), keep); err != nil {
			tb.Fatal(err)
		}
	}
	if len(pics) == 0 || pics[0].Width() != 1920 || pics[0].Height() != 1080 {
		tb.Fatalf("the clip gave %d pictures, want 1920x1080 ones", len(pics))
	}
	return pics
}

// BenchmarkSnapshotAll16x1080p is a snapshot of every camera of a 16-camera
// wall of 1080p cameras: 16 full-resolution frames, each converted, encoded
// as JPEG at the default quality and written (temporary file, fsync, link)
// by a Snapshotter, with its default number of workers and with one.
// wall-ms is the time from the first Submit to the last file written.
func BenchmarkSnapshotAll16x1080p(b *testing.B) {
	pics := clip1080(b)
	defer func() {
		for _, p := range pics {
			p.Free()
		}
	}()
	for _, workers := range []int{0, 1} {
		name := fmt.Sprintf("workers=%d", workers)
		if workers == 0 {
			name = "workers=default"
		}
		b.Run(name, func(b *testing.B) { benchSnapshotAll(b, pics, workers) })
	}
}

func benchSnapshotAll(b *testing.B, pics []*decoder.Picture, workers int) {
	dir := b.TempDir()
	s := &storage.Snapshotter{Settings: storage.SnapshotSettings{Dir: dir}, Workers: workers}
	if err := s.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var wall time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		for cam := range 16 {
			// What Session.Snapshot hands out: another reference, no copy.
			p, err := pics[cam%len(pics)].Clone()
			if err != nil {
				b.Fatal(err)
			}
			err = s.Submit(storage.Request{Camera: cameraName(cam), Time: start, Source: p, Done: func(r storage.Result) {
				if r.Err != nil {
					b.Error(r.Err)
				}
			}})
			if err != nil {
				b.Fatal(err)
			}
		}
		s.Wait()
		wall += time.Since(start)
		b.StopTimer()
		if err := os.RemoveAll(dir); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(wall.Milliseconds())/float64(b.N), "wall-ms")
}
