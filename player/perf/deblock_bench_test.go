//go:build linux

package perf

import (
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/camwall/camwall/assets"
	"github.com/camwall/camwall/decoder"
	"github.com/camwall/camwall/player/playtest"
)

// BenchmarkDecodeWithoutDeblocking is what a tile at half its camera's size
// or less saves by skipping H.264's deblocking filter (player's
// lightDecode): CPU per 720p frame of the bench clip on one thread, with the
// filter and without, beside the project's own ffmpeg decoding the same
// clip the same two ways (-threads 1, -skip_loop_filter all) in the same
// run; and, judged by Debian's ffmpeg's ssim filter, how alike the two
// decodes are at a 320×180 tile, scaled as camwall scales (fast bilinear).
//
//	go test -run '^$' -bench DecodeWithoutDeblocking -benchtime 10x ./player/perf/
func BenchmarkDecodeWithoutDeblocking(b *testing.B) {
	bin := os.Getenv("CAMWALL_FFMPEG_BIN")
	if bin == "" {
		b.Fatal(`CAMWALL_FFMPEG_BIN is not set: run "make bench", or first: eval "$(scripts/ffmpeg.sh env)"`)
	}
	clip, err := os.ReadFile(clipPath)
	if err != nil {
		b.Fatal(err)
	}
	aus, err := assets.AccessUnits(clip)
	if err != nil {
		b.Fatal(err)
	}
	var units [][]byte
	for _, au := range aus {
		units = append(units, decoder.AnnexB(au, nil))
	}
	for _, skip := range []bool{false, true} {
		b.Run(map[bool]string{false: "with-filter", true: "without-filter"}[skip], func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			var cpu time.Duration
			for b.Loop() {
				d, err := decoder.New(decoder.Config{Codec: decoder.H264, Threads: 1})
				if err != nil {
					b.Fatal(err)
				}
				if err := d.SetSkipDeblock(skip); err != nil {
					b.Fatal(err)
				}
				start := threadCPU(b)
				for i, u := range units {
					if err := d.Decode(u, int64(i), func(*decoder.Frame) error { return nil }); err != nil {
						b.Fatal(err)
					}
				}
				cpu += threadCPU(b) - start
				d.Close()
			}
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N*len(units)), "µs-cpu/frame")
			args := []string{"-hide_banner", "-loglevel", "error", "-nostdin", "-threads", "1"}
			if skip {
				args = append(args, "-skip_loop_filter", "all")
			}
			peer := exec.Command(bin, append(args, "-f", "h264", "-i", clipPath, "-f", "null", "-")...)
			if out, err := peer.CombinedOutput(); err != nil {
				b.Fatalf("ffmpeg: %v\n%s", err, out)
			}
			ru := peer.ProcessState.SysUsage().(*syscall.Rusage)
			peerCPU := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
			b.ReportMetric(float64(peerCPU.Microseconds())/float64(len(units)), "ffmpeg-µs-cpu/frame")
		})
	}
	out, err := exec.Command(playtest.FFmpeg(b), "-hide_banner", "-nostdin",
		"-skip_loop_filter", "all", "-f", "h264", "-i", clipPath, "-f", "h264", "-i", clipPath,
		"-lavfi", "[0:v]scale=320:180:flags=fast_bilinear[a];[1:v]scale=320:180:flags=fast_bilinear[b];[a][b]ssim",
		"-f", "null", "-").CombinedOutput()
	if err != nil {
		b.Fatalf("ffmpeg ssim: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`All:([0-9.]+)`).FindSubmatch(out)
	if m == nil {
		b.Fatalf("ffmpeg printed no SSIM:\n%s", out)
	}
	b.Logf("SSIM at 320x180, without the filter against with it: %s", m[1])
}
