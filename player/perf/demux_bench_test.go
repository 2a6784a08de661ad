//go:build linux

package perf

import (
	"errors"
	"image"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/camwall/camwall/decoder"
)

// demuxPasses is how many times the demuxed benchmark plays its clip:
// 10 × 120 frames of 720p.
const demuxPasses = 10

// BenchmarkDemuxedInput is the cost per frame of the path GoPro and any-URL
// cameras take (FFmpeg's demuxer, MPEG-TS here, then the decoder and the
// scale to a tile), on one thread, against the project's own ffmpeg doing
// the same work on the same file in the same run: one decoder thread with
// low_delay, bilinear scaling to 320x180 RGBA, one filter thread.
//
//	go test -run '^$' -bench DemuxedInput -benchtime 1x ./player/perf/
func BenchmarkDemuxedInput(b *testing.B) {
	bin := os.Getenv("CAMWALL_FFMPEG_BIN")
	if bin == "" {
		b.Fatal(`CAMWALL_FFMPEG_BIN is not set: run "make bench", or first: eval "$(scripts/ffmpeg.sh env)"`)
	}
	clip := filepath.Join(b.TempDir(), "bench720.ts")
	if out, err := exec.Command(bin, "-hide_banner", "-loglevel", "error", "-f", "h264", "-framerate", "30",
		"-i", "testdata/bench720.h264", "-c", "copy", clip).CombinedOutput(); err != nil {
		b.Fatalf("make the MPEG-TS clip: %v\n%s", err, out)
	}
	for b.Loop() {
		frames, cpu := camwallDemuxed(b, clip)
		refFrames, refCPU := ffmpegDemuxed(b, bin, clip)
		if frames != refFrames {
			b.Errorf("camwall decoded %d frames, ffmpeg %d", frames, refFrames)
		}
		per := float64(cpu.Microseconds()) / 1000 / float64(frames)
		refPer := float64(refCPU.Microseconds()) / 1000 / float64(refFrames)
		b.ReportMetric(per, "ms-cpu/frame")
		b.ReportMetric(refPer, "ffmpeg-ms-cpu/frame")
		b.ReportMetric(per/refPer, "x-ffmpeg")
		b.ReportMetric(float64(frames), "frames")
	}
}

// camwallDemuxed plays clip demuxPasses times through camwall's chain on
// this goroutine, locked to its thread, and returns the frames and the
// thread's CPU time: the decoder and scaler run one thread, in this one.
func camwallDemuxed(b *testing.B, clip string) (int, time.Duration) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := threadCPU(b)
	dm := decoder.NewDemuxer()
	defer dm.Close()
	if err := dm.Open("file:"+clip, decoder.DemuxOptions{}); err != nil {
		b.Fatal(err)
	}
	dec, err := decoder.New(decoder.Config{Codec: dm.Codec(), Threads: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer dec.Close()
	scaler := decoder.NewScaler()
	defer scaler.Close()
	tile := image.NewRGBA(image.Rect(0, 0, tileW, tileH))
	frames := 0
	scale := func(f *decoder.Frame) error { frames++; return scaler.Scale(f, tile) }
	for pass := 0; pass < demuxPasses; {
		p, err := dm.Read()
		if errors.Is(err, io.EOF) {
			if pass++; pass < demuxPasses {
				if err := dm.Rewind(); err != nil {
					b.Fatal(err)
				}
			}
			continue
		}
		if err != nil {
			b.Fatal(err)
		}
		if err := dec.Decode(p.Data, p.PTS, scale); err != nil {
			b.Fatal(err)
		}
	}
	if err := dec.Flush(scale); err != nil {
		b.Fatal(err)
	}
	return frames, threadCPU(b) - start
}

// ffmpegDemuxed runs the reference and returns its frames and CPU time.
func ffmpegDemuxed(b *testing.B, bin, clip string) (int, time.Duration) {
	cmd := exec.Command(bin, "-hide_banner", "-nostdin", "-loglevel", "error",
		"-threads", "1", "-flags", "low_delay", "-filter_threads", "1",
		"-stream_loop", strconv.Itoa(demuxPasses-1), "-i", clip,
		"-vf", "scale="+strconv.Itoa(tileW)+":"+strconv.Itoa(tileH)+":flags=bilinear,format=rgba",
		"-f", "null", "-progress", "pipe:1", "-")
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("reference ffmpeg: %v", err)
	}
	frames := lastProgressFrames(string(out))
	return frames, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// lastProgressFrames is the last frame= of ffmpeg's -progress output.
func lastProgressFrames(out string) int {
	n := 0
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(line, "frame="); ok {
			if f, err := strconv.Atoi(v); err == nil {
				n = f
			}
		}
	}
	return n
}

// threadCPU is the calling thread's user and system time.
func threadCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
