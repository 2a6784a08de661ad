//go:build linux

package perf

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// The goals, for camwall with the app's default decoder threading.
const (
	goalFPS      = 29.5
	goalCPURatio = 1.15
	goalP50      = 50 * time.Millisecond
	goalP99      = 100 * time.Millisecond
	goalRSS      = 400e6 // bytes

	// disturbedAbove is how much CPU (in cores) other processes may use
	// during a window before the report calls its numbers disturbed.
	disturbedAbove = 0.2
)

// report is everything one BenchmarkWall run measured.
type report struct {
	Streams   int
	Staggered bool // the streams' send times are spread over the frame period
	Window    time.Duration
	Date      time.Time
	CPUs      int
	GoVersion string
	OS        string
	Camwall   []camwallResult // one per decoder thread count
	FFmpeg    []ffmpegResult  // FFmpeg[0] is the command, the goal's reference
}

// primary is the result the goals are judged on: one decode thread, the
// app's default, when it was measured.
func (r *report) primary() *camwallResult {
	for i := range r.Camwall {
		if r.Camwall[i].Threads == 1 {
			return &r.Camwall[i]
		}
	}
	return &r.Camwall[0]
}

// cpuPerFrame in seconds; 0 when nothing was decoded.
func cpuPerFrame(cpu cpuTime, frames int64) float64 {
	if frames <= 0 {
		return 0
	}
	return cpu.Total().Seconds() / float64(frames)
}

func (f *ffmpegResult) perFrame() float64 { return cpuPerFrame(f.CPU, f.Frames) }

// ratio of c's CPU per frame to reference ref's (an index into FFmpeg).
func (r *report) ratio(c *camwallResult, ref int) float64 {
	if ref >= len(r.FFmpeg) || r.FFmpeg[ref].perFrame() == 0 {
		return 0
	}
	return cpuPerFrame(c.CPU, int64(c.Frames)) / r.FFmpeg[ref].perFrame()
}

func (c *camwallResult) peakRSS() int64 {
	if c.HWMReset && c.PeakRSS > 0 {
		return c.PeakRSS
	}
	return c.MaxRSSAll
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond)) }

func mb(n int64) string { return fmt.Sprintf("%.0f", float64(n)/1e6) }

func minMean(fps []float64) (lo, mean float64) {
	if len(fps) == 0 {
		return 0, 0
	}
	lo = slices.Min(fps)
	for _, f := range fps {
		mean += f
	}
	return lo, mean / float64(len(fps))
}

func yes(ok bool) string {
	if ok {
		return "**met**"
	}
	return "**not met**"
}

// markdown renders the report: per-stream rates, the totals, and the goals.
func (r *report) markdown() string {
	var sb strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&sb, format, a...) }
	p("### BenchmarkWall: %d streams of 1280×720 H.264 at 30 fps → %d×%d RGBA tiles, %.0f s window\n\n",
		r.Streams, tileW, tileH, r.Window.Seconds())
	p("%s, %d CPUs, %s, %s.\n\n", r.Date.UTC().Format("2006-01-02 15:04 MST"), r.CPUs, r.OS, r.GoVersion)
	if r.Staggered {
		p("Send times staggered: one single-stream server per stream, started 1/%d of a frame period apart.\n\n", r.Streams)
	} else {
		p("Send times aligned: one server, every stream sends its frame at the same instant of each frame period.\n\n")
	}

	// Per stream.
	p("| stream |")
	for _, c := range r.Camwall {
		p(" camwall fps (%s) | p99 ms |", threadsName(c.Threads))
	}
	for _, f := range r.FFmpeg {
		p(" %s fps |", f.Config.Name)
	}
	p("\n|---:|")
	for range r.Camwall {
		p("---:|---:|")
	}
	for range r.FFmpeg {
		p("---:|")
	}
	p("\n")
	for i := range r.Streams {
		p("| %d |", i+1)
		for _, c := range r.Camwall {
			p(" %s | %s |", at(c.FPS, i), msAt(c.StreamP99, i))
		}
		for _, f := range r.FFmpeg {
			p(" %s |", at(f.FPS, i))
		}
		p("\n")
	}
	p("\n")

	// Totals.
	p("| |")
	for _, c := range r.Camwall {
		p(" camwall, %s |", threadsName(c.Threads))
	}
	for _, f := range r.FFmpeg {
		p(" %s |", f.Config.Name)
	}
	p("\n|---|")
	for range len(r.Camwall) + len(r.FFmpeg) {
		p("---:|")
	}
	p("\n")
	row := func(name string, cam func(c *camwallResult) string, ff func(f *ffmpegResult) string) {
		p("| %s |", name)
		for i := range r.Camwall {
			p(" %s |", cam(&r.Camwall[i]))
		}
		for i := range r.FFmpeg {
			p(" %s |", ff(&r.FFmpeg[i]))
		}
		p("\n")
	}
	na := func(*ffmpegResult) string { return "n/a" }
	row("decoded fps per stream, min / mean", func(c *camwallResult) string {
		lo, mean := minMean(c.FPS)
		return fmt.Sprintf("%.2f / %.2f", lo, mean)
	}, func(f *ffmpegResult) string {
		lo, mean := minMean(f.FPS)
		return fmt.Sprintf("%.2f / %.2f", lo, mean)
	})
	row("frames in the window, all streams", func(c *camwallResult) string { return fmt.Sprint(c.Frames) },
		func(f *ffmpegResult) string { return fmt.Sprint(f.Frames) })
	cpuS := func(c cpuTime) string {
		return fmt.Sprintf("%.2f (%.2f + %.2f)", c.Total().Seconds(), c.User.Seconds(), c.Sys.Seconds())
	}
	row("CPU s in the window (user + sys)", func(c *camwallResult) string { return cpuS(c.CPU) },
		func(f *ffmpegResult) string { return cpuS(f.CPU) })
	row("CPU cores used (CPU s / s)", func(c *camwallResult) string {
		return fmt.Sprintf("%.2f", c.CPU.Total().Seconds()/c.Window.Seconds())
	}, func(f *ffmpegResult) string { return fmt.Sprintf("%.2f", f.CPU.Total().Seconds()/f.Window.Seconds()) })
	row("**CPU ms per frame**", func(c *camwallResult) string {
		return fmt.Sprintf("**%.3f**", 1e3*cpuPerFrame(c.CPU, int64(c.Frames)))
	}, func(f *ffmpegResult) string { return fmt.Sprintf("**%.3f**", 1e3*f.perFrame()) })
	for ref := range r.FFmpeg {
		row(fmt.Sprintf("**CPU per frame ÷ %s**", r.FFmpeg[ref].Config.Name), func(c *camwallResult) string {
			return fmt.Sprintf("**%.2f**", r.ratio(c, ref))
		}, func(f *ffmpegResult) string {
			if r.FFmpeg[ref].perFrame() == 0 {
				return "–"
			}
			return fmt.Sprintf("%.2f", f.perFrame()/r.FFmpeg[ref].perFrame())
		})
	}
	row("access units dropped in the window / since start", func(c *camwallResult) string {
		return fmt.Sprintf("%d / %d", c.Drops, c.DropsAll)
	}, na)
	row("corrupt access units since start", func(c *camwallResult) string { return fmt.Sprint(c.Corrupt) }, na)
	row("**latency p50 / p99, ms**", func(c *camwallResult) string {
		return fmt.Sprintf("**%s / %s**", ms(c.P50), ms(c.P99))
	}, na)
	row("frames without a capture time (not in latency)", func(c *camwallResult) string { return fmt.Sprint(c.NoCapture) }, na)
	row("**peak RSS, MB**", func(c *camwallResult) string {
		return fmt.Sprintf("**%s** (max sample %s)", mb(c.peakRSS()), mb(c.MaxRSS))
	}, func(f *ffmpegResult) string {
		return fmt.Sprintf("%s (sum of %d processes, max sample)", mb(f.MaxRSS), r.Streams)
	})
	row("warm-up before the window, s", func(c *camwallResult) string { return fmt.Sprintf("%.1f", c.Warmup.Seconds()) },
		func(f *ffmpegResult) string { return fmt.Sprintf("%.1f", f.Warmup.Seconds()) })
	row("RTSP server process, cores", func(c *camwallResult) string { return fmt.Sprintf("%.2f", c.Env.Server) },
		func(f *ffmpegResult) string { return fmt.Sprintf("%.2f", f.Env.Server) })
	row("other processes on the machine, cores", func(c *camwallResult) string { return fmt.Sprintf("%.2f", c.Env.Other) },
		func(f *ffmpegResult) string { return fmt.Sprintf("%.2f", f.Env.Other) })
	row("CPU stolen by the hypervisor, cores", func(c *camwallResult) string { return fmt.Sprintf("%.2f", c.Env.Steal) },
		func(f *ffmpegResult) string { return fmt.Sprintf("%.2f", f.Env.Steal) })
	p("\n")
	p("Latency is Published − Captured (capture time from RTCP sender reports) of every frame published in the window; " +
		"the warm-up waits for every stream's first sender report. CPU is getrusage (camwall, the whole test process) or " +
		"/proc/PID/stat (ffmpeg, all its processes) over the window. Peak RSS is the process's VmHWM over the phase; " +
		"phases after the first also carry the memory glibc's malloc kept from earlier ones.\n\n")
	p("References, shown for stream 1:\n\n")
	for _, f := range r.FFmpeg {
		p("- %s: `%s`\n", f.Config.Name, f.Command)
	}
	p("\n")

	// Goals.
	c := r.primary()
	lo, _ := minMean(c.FPS)
	p("Goals, judged on camwall with %s (the app's default):\n\n", threadsName(c.Threads))
	p("| goal | measured | |\n|---|---|---|\n")
	p("| every stream ≥ %.1f fps, no drops | min %.2f fps, %d drops | %s |\n", goalFPS, lo, c.Drops,
		yes(len(c.FPS) == r.Streams && lo >= goalFPS && c.Drops == 0))
	p("| CPU per frame ≤ %.2f× ffmpeg's (issue's command) | %.2f× | %s |\n", goalCPURatio, r.ratio(c, 0),
		yes(r.ratio(c, 0) > 0 && r.ratio(c, 0) <= goalCPURatio))
	p("| latency p50 ≤ %s ms | %s ms | %s |\n", ms(goalP50), ms(c.P50), yes(c.Frames > c.NoCapture && c.P50 <= goalP50))
	p("| latency p99 ≤ %s ms | %s ms | %s |\n", ms(goalP99), ms(c.P99), yes(c.Frames > c.NoCapture && c.P99 <= goalP99))
	p("| peak RSS ≤ %s MB | %s MB | %s |\n", mb(goalRSS), mb(c.peakRSS()), yes(c.peakRSS() <= goalRSS))

	var notes []string
	for _, c := range r.Camwall {
		if !c.WarmedUp {
			notes = append(notes, fmt.Sprintf("camwall %s: not every stream was live with a capture time after the %v warm-up bound.",
				threadsName(c.Threads), camwallWarmupMax))
		}
		if c.NotLive > 0 {
			notes = append(notes, fmt.Sprintf("camwall %s: %d session(s) not live at the window's end.", threadsName(c.Threads), c.NotLive))
		}
		if !c.HWMReset {
			notes = append(notes, "peak RSS is getrusage's lifetime maximum (VmHWM could not be reset per phase).")
		}
	}
	for _, f := range r.FFmpeg {
		notes = append(notes, f.Failures...)
	}
	disturbed := func(name string, l machineLoad) {
		if l.Other+l.Steal > disturbedAbove {
			notes = append(notes, fmt.Sprintf("%s: other processes used %.2f cores and the hypervisor stole %.2f during the window; "+
				"its numbers are disturbed (run again on a quieter machine).", name, l.Other, l.Steal))
		}
	}
	for _, c := range r.Camwall {
		disturbed("camwall, "+threadsName(c.Threads), c.Env)
	}
	for _, f := range r.FFmpeg {
		disturbed(f.Config.Name, f.Env)
	}
	if len(notes) > 0 {
		p("\nNotes:\n\n")
		for _, n := range notes {
			p("- %s\n", n)
		}
	}
	return sb.String()
}

func threadsName(n int) string {
	if n == 1 {
		return "1 decode thread"
	}
	return fmt.Sprintf("%d decode threads", n)
}

func at(v []float64, i int) string {
	if i >= len(v) {
		return "–"
	}
	return fmt.Sprintf("%.2f", v[i])
}

func msAt(v []time.Duration, i int) string {
	if i >= len(v) {
		return "–"
	}
	return ms(v[i])
}

// metrics reports the main numbers to the benchmark framework (benchstat).
func (r *report) metrics(b *testing.B) {
	b.ReportMetric(0, "ns/op") // one op is the whole run: meaningless
	for i, f := range r.FFmpeg {
		unit := "ffmpeg-cpu-ms/frame"
		if i > 0 {
			unit = fmt.Sprintf("ffmpeg%d-cpu-ms/frame", i+1)
		}
		b.ReportMetric(1e3*f.perFrame(), unit)
	}
	for i := range r.Camwall {
		c := &r.Camwall[i]
		prefix := ""
		if c != r.primary() {
			prefix = fmt.Sprintf("t%d-", c.Threads)
		}
		lo, _ := minMean(c.FPS)
		b.ReportMetric(lo, prefix+"min-fps")
		b.ReportMetric(1e3*cpuPerFrame(c.CPU, int64(c.Frames)), prefix+"cpu-ms/frame")
		b.ReportMetric(r.ratio(c, 0), prefix+"cpu-ratio")
		b.ReportMetric(float64(c.Drops), prefix+"drops")
		b.ReportMetric(float64(c.P50)/1e6, prefix+"p50-ms")
		b.ReportMetric(float64(c.P99)/1e6, prefix+"p99-ms")
		b.ReportMetric(float64(c.peakRSS())/1e6, prefix+"peak-rss-MB")
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i))
	}
	for _, tc := range []struct {
		p    float64
		want time.Duration
	}{{0.5, 50}, {0.99, 99}, {1, 100}, {0, 1}} {
		if got := percentile(d, tc.p); got != tc.want {
			t.Errorf("percentile(1..100, %v) = %d, want %d", tc.p, got, tc.want)
		}
	}
	if got := percentile(nil, 0.5); got != 0 {
		t.Errorf("percentile(nil) = %d, want 0", got)
	}
}
