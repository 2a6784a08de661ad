//go:build linux

package perf

import (
	"bufio"
	"fmt"
	"image"
	"log/slog"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camwall/camwall/player"
	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/source/rtsp"
)

// The wall's geometry: what a 4×4 grid of tiles on a 1280×720 window asks of
// each session.
const tileW, tileH = 320, 180

// Warm-up bounds. camwall's sessions warm up until every stream is live and
// has a capture time: gortsplib's server sends RTCP sender reports every
// 10 s, and before a session's first one its frames have no capture time.
// ffmpeg warms up until it has decoded the backlog it buffers while probing.
const (
	minWarmup        = 3 * time.Second
	camwallWarmupMax = 15 * time.Second
	ffmpegWarmupMax  = 20 * time.Second
)

// statusPeriod is how often a session refreshes its Status.
const statusPeriod = time.Second

// BenchmarkWall is the `make bench` benchmark of the live wall: see the
// package comment. Run it once:
//
//	go test -run '^$' -bench Wall -benchtime 1x ./player/perf/
func BenchmarkWall(b *testing.B) {
	bin := os.Getenv("CAMWALL_FFMPEG_BIN")
	if bin == "" {
		b.Fatal(`CAMWALL_FFMPEG_BIN is not set: it names the project's own ffmpeg, the reference. ` +
			`Run "make bench", or first: eval "$(scripts/ffmpeg.sh env)"`)
	}
	window := 20 * time.Second
	if v := os.Getenv("CAMWALL_BENCH_SECONDS"); v != "" {
		s, err := strconv.ParseFloat(v, 64)
		if err != nil || s <= 0 {
			b.Fatalf("CAMWALL_BENCH_SECONDS=%q: want a positive number of seconds", v)
		}
		window = time.Duration(s * float64(time.Second))
	}
	threads := []int{1, 2}
	if v := os.Getenv("CAMWALL_BENCH_THREADS"); v != "" {
		threads = nil
		for f := range strings.SplitSeq(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 {
				b.Fatalf("CAMWALL_BENCH_THREADS=%q: want a list such as 1,2", v)
			}
			threads = append(threads, n)
		}
	}
	streams := streamCount()
	goroutines := runtime.NumGoroutine()

	srv, err := startServer(streams)
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	urls := srv.URLs

	rep := report{
		Streams: streams, Staggered: staggered(), Window: window, Date: time.Now(),
		CPUs: runtime.NumCPU(), GoVersion: runtime.Version(), OS: osName(),
	}
	for b.Loop() { // once with -benchtime 1x; every iteration measures everything
		rep.Camwall = rep.Camwall[:0]
		for _, n := range threads {
			r := runCamwall(b, urls, n, window, srv.PID(), "", nil)
			rep.Camwall = append(rep.Camwall, r)
		}
		rep.FFmpeg = rep.FFmpeg[:0]
		for _, cfg := range []ffmpegConfig{ffmpegIssue, ffmpegMatched} {
			rep.FFmpeg = append(rep.FFmpeg, runFFmpeg(b, bin, cfg, urls, window, srv.PID()))
		}
	}

	srv.Close()
	checkGoroutines(b, goroutines)

	md := rep.markdown()
	fmt.Print("\n" + md + "\n")
	if out := os.Getenv("CAMWALL_BENCH_OUT"); out != "" {
		if err := os.WriteFile(out, []byte(md), 0o644); err != nil {
			b.Error(err)
		}
	}
	rep.metrics(b)
}

// streamStats collects one session's frames, on its decode goroutine.
type streamStats struct {
	mu        sync.Mutex
	measuring bool
	captured  bool            // a frame with a capture time was seen
	frames    int             // published during the window
	noCapture int             // of which without a capture time
	latencies []time.Duration // Published − Captured, during the window
	published []time.Time     // when each of latencies' frames was published
}

func (st *streamStats) onFrame(ev player.FrameEvent) {
	st.mu.Lock()
	defer st.mu.Unlock()
	has := !ev.Captured.IsZero()
	st.captured = st.captured || has
	if !st.measuring {
		return
	}
	st.frames++
	if has {
		st.latencies = append(st.latencies, ev.Published.Sub(ev.Captured))
		st.published = append(st.published, ev.Published)
	} else {
		st.noCapture++
	}
}

func (st *streamStats) setMeasuring(on bool) {
	st.mu.Lock()
	st.measuring = on
	st.mu.Unlock()
}

func (st *streamStats) hasCapture() bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.captured
}

// camwallResult is one phase of camwall playing every stream.
type camwallResult struct {
	Threads   int
	Warmup    time.Duration
	WarmedUp  bool // every stream live with a capture time before the bound
	Window    time.Duration
	FPS       []float64
	Frames    int // published in the window, all streams
	NoCapture int // frames in the window without a capture time
	CPU       cpuTime
	Drops     uint64 // Status().Dropped delta over the window (and up to statusPeriod after it)
	DropsAll  uint64 // Status().Dropped since the session started
	Corrupt   uint64
	NotLive   int // sessions not live at the window's end
	P50, P99  time.Duration
	StreamP99 []time.Duration
	PeakRSS   int64 // VmHWM over the phase (reset at its start)
	MaxRSS    int64 // highest VmRSS sampled once a second in the window
	MaxRSSAll int64 // getrusage's lifetime peak, after the phase
	HWMReset  bool
	Env       machineLoad
}

// machineLoad is what else ran during a window, in cores (CPU s per s).
type machineLoad struct {
	Server float64 // the RTSP server process
	Other  float64 // the machine's busy time minus ours and the server's
	Steal  float64 // CPU time the hypervisor gave to other machines
}

// runCamwall plays every URL with a player.Session per stream, emulating the
// UI's frame consumption at 60 Hz, and measures a window after warming up.
// runCamwall plays every stream for the window; with recordDir set, every
// session also records into it (stream copy), and during, when set, runs
// halfway through the window (a snapshot of every camera, say): both for
// the recording and snapshot benchmarks.
func runCamwall(b *testing.B, urls []string, threads int, window time.Duration, serverPID int,
	recordDir string, during func([]*player.Session)) camwallResult {
	res := camwallResult{Threads: threads, Window: window}
	res.HWMReset = resetPeakRSS()
	quiet := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	stats := make([]*streamStats, len(urls))
	sessions := make([]*player.Session, len(urls))
	for i, u := range urls {
		n := int(window.Seconds() * clipFPS * 1.2)
		st := &streamStats{latencies: make([]time.Duration, 0, n), published: make([]time.Time, 0, n)}
		stats[i] = st
		s := player.New(player.Config{
			Name: fmt.Sprintf("bench-%d", i+1), URL: u, Transport: rtsp.TransportTCP,
			DecodeThreads: threads, OnFrame: st.onFrame, Logger: quiet,
		})
		s.SetTileSize(tileW, tileH)
		sessions[i] = s
	}
	if recordDir != "" {
		for _, s := range sessions {
			if err := s.StartRecording(player.RecordOptions{Dir: recordDir}); err != nil {
				b.Fatal(err)
			}
		}
	}
	start := time.Now()
	for _, s := range sessions {
		s.Start()
	}
	defer func() {
		for _, s := range sessions {
			s.Close()
		}
	}()
	stopUI := emulateUI(sessions)
	defer stopUI()

	// Warm up until every session is live and has a capture time.
	for {
		ready := time.Since(start) >= minWarmup
		for i, s := range sessions {
			ready = ready && s.Status().State == player.StateLive && stats[i].hasCapture()
		}
		if ready {
			res.WarmedUp = true
			break
		}
		if time.Since(start) > camwallWarmupMax {
			b.Logf("camwall %d thread(s): not every stream is live with a capture time after %v; measuring anyway",
				threads, camwallWarmupMax)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	res.Warmup = time.Since(start)

	dropped0 := make([]uint64, len(sessions))
	for i, s := range sessions {
		dropped0[i] = s.Status().Dropped
	}
	for _, st := range stats {
		st.setMeasuring(true)
	}
	w := startSpan(serverPID)
	rss := sampleRSS(func() int64 { return procStatusKB("self", "VmRSS") })
	cpu0 := selfCPU()
	if during != nil {
		time.AfterFunc(window/2, func() { during(sessions) })
	}
	time.Sleep(window)
	cpu1 := selfCPU()
	for _, st := range stats {
		st.setMeasuring(false)
	}
	res.MaxRSS = rss()
	res.CPU = cpu1.Sub(cpu0)
	res.Window, res.Env = w.end(res.CPU.Total())
	// Status is refreshed once a second: let it catch up with the window's
	// last second, so that no drop in the window goes uncounted (a drop in
	// the second after it may be counted too).
	time.Sleep(statusPeriod + 100*time.Millisecond)

	var all []time.Duration
	for i, s := range sessions {
		stt := s.Status()
		res.Drops += stt.Dropped - dropped0[i]
		res.DropsAll += stt.Dropped
		res.Corrupt += stt.Corrupt
		if stt.State != player.StateLive {
			res.NotLive++
		}
		st := stats[i]
		st.mu.Lock()
		res.FPS = append(res.FPS, float64(st.frames)/res.Window.Seconds())
		res.Frames += st.frames
		res.NoCapture += st.noCapture
		lat := slices.Clone(st.latencies)
		st.mu.Unlock()
		slices.Sort(lat)
		res.StreamP99 = append(res.StreamP99, percentile(lat, 0.99))
		all = append(all, lat...)
	}
	slices.Sort(all)
	res.P50, res.P99 = percentile(all, 0.50), percentile(all, 0.99)
	if path := os.Getenv("CAMWALL_BENCH_LATENCY_CSV"); path != "" {
		if err := writeLatencyCSV(path, threads, stats); err != nil {
			b.Error(err)
		}
	}
	res.PeakRSS = procStatusKB("self", "VmHWM")
	res.MaxRSSAll = selfMaxRSS()
	return res
}

// writeLatencyCSV appends every frame's latency in the window to path as
// "threads,stream,published_unix_ns,latency_us" lines, for plotting tails.
func writeLatencyCSV(path string, threads int, stats []*streamStats) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for i, st := range stats {
		st.mu.Lock()
		for j, l := range st.latencies {
			fmt.Fprintf(w, "%d,%d,%d,%d\n", threads, i+1, st.published[j].UnixNano(), l.Microseconds())
		}
		st.mu.Unlock()
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// emulateUI takes every session's newest picture 60 times a second and gives
// back the one it took before, as the app's UI ticker does, so that the
// frame slots recycle their buffers as in the app. The returned func stops
// it and gives back what it holds.
func emulateUI(sessions []*player.Session) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		shown := make([]*image.RGBA, len(sessions))
		defer func() {
			for i, img := range shown {
				sessions[i].Frames().Release(img)
			}
		}()
		tick := time.NewTicker(time.Second / 60)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			for i, s := range sessions {
				if img, ok := s.Frames().Take(); ok {
					s.Frames().Release(shown[i])
					shown[i] = img
				}
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// sampleRSS samples f once a second until the returned func is called; that
// returns the highest sample.
func sampleRSS(f func() int64) (stop func() int64) {
	done := make(chan struct{})
	result := make(chan int64)
	go func() {
		peak := f()
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-done:
				result <- max(peak, f())
				return
			case <-tick.C:
				peak = max(peak, f())
			}
		}
	}()
	return func() int64 { close(done); return <-result }
}

// span measures the time, the server's CPU and the machine's busy time
// between its start and end.
type span struct {
	serverPID int
	at        time.Time
	server    cpuTime
	busy      time.Duration
	steal     time.Duration
}

func startSpan(serverPID int) *span {
	srv, _ := procCPU(serverPID)
	busy, steal := machineCPU()
	return &span{serverPID: serverPID, at: time.Now(), server: srv, busy: busy, steal: steal}
}

// end returns the window's length and what else ran in it, given the CPU
// time the measured program itself used.
func (w *span) end(ours time.Duration) (time.Duration, machineLoad) {
	srv, _ := procCPU(w.serverPID)
	busy, steal := machineCPU()
	d := time.Since(w.at)
	s := d.Seconds()
	server := srv.Sub(w.server).Total().Seconds() / s
	other := (busy-w.busy).Seconds()/s - server - ours.Seconds()/s
	return d, machineLoad{Server: server, Other: max(other, 0), Steal: (steal - w.steal).Seconds() / s}
}

// ffmpegResult is a reference phase: one ffmpeg process per stream.
type ffmpegResult struct {
	Config   ffmpegConfig
	Command  string // for stream 1
	Warmup   time.Duration
	Window   time.Duration
	FPS      []float64
	Frames   int64
	CPU      cpuTime
	Exited   int   // processes that ended before the window's end
	MaxRSS   int64 // highest sum of the processes' VmRSS, sampled once a second
	Env      machineLoad
	Failures []string
}

func runFFmpeg(b *testing.B, bin string, cfg ffmpegConfig, urls []string, window time.Duration, serverPID int) ffmpegResult {
	res := ffmpegResult{Config: cfg, Command: cfg.Command(urls[0])}
	procs := make([]*ffmpegProcess, 0, len(urls))
	defer func() {
		for _, p := range procs {
			p.stop()
		}
	}()
	start := time.Now()
	for _, u := range urls {
		p, err := startFFmpeg(bin, cfg, u)
		if err != nil {
			b.Fatal(err)
		}
		procs = append(procs, p)
	}
	// Warm up until every process reports frames and none is still catching
	// up: ffmpeg buffers a few seconds of stream while it probes the input,
	// then decodes that backlog faster than real time.
	prev := make([]progress, len(procs))
	var checked time.Time
	for {
		if time.Since(checked) >= time.Second {
			steady := !checked.IsZero() && time.Since(start) >= minWarmup
			for i, p := range procs {
				cur := p.progress()
				dt := cur.at.Sub(prev[i].at).Seconds()
				steady = steady && prev[i].frames > 0 && dt > 0 &&
					float64(cur.frames-prev[i].frames)/dt <= 1.05*clipFPS
				prev[i] = cur
			}
			checked = time.Now()
			if steady {
				break
			}
		}
		if time.Since(start) > ffmpegWarmupMax {
			b.Logf("%s: not every process in a steady state after %v; measuring anyway", cfg.Name, ffmpegWarmupMax)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	res.Warmup = time.Since(start)

	cpuOf := func() cpuTime {
		var sum cpuTime
		for _, p := range procs {
			c, _ := procCPU(p.PID()) // an exited process counts nothing more
			sum = sum.Add(c)
		}
		return sum
	}
	rssOf := func() int64 {
		var sum int64
		for _, p := range procs {
			sum += procStatusKB(strconv.Itoa(p.PID()), "VmRSS")
		}
		return sum
	}
	p0 := make([]progress, len(procs))
	for i, p := range procs {
		p0[i] = p.progress()
	}
	w := startSpan(serverPID)
	rss := sampleRSS(rssOf)
	cpu0 := cpuOf()
	time.Sleep(window)
	cpu1 := cpuOf()
	// The progress lines arrive every 0.1 s: frames are counted between the
	// last reports before the window's edges, and divided by the time
	// between those reports.
	for i, p := range procs {
		p1 := p.progress()
		n := p1.frames - p0[i].frames
		res.Frames += n
		fps := 0.0
		if dt := p1.at.Sub(p0[i].at).Seconds(); n > 0 && dt > 0 {
			fps = float64(n) / dt
		}
		res.FPS = append(res.FPS, fps)
		if p.Exited() {
			res.Exited++
			res.Failures = append(res.Failures, fmt.Sprintf("%s, stream %d: ffmpeg exited: %s", cfg.Name, i+1, strings.TrimSpace(p.stderr.String())))
		}
	}
	res.MaxRSS = rss()
	res.CPU = cpu1.Sub(cpu0)
	res.Window, res.Env = w.end(res.CPU.Total())
	// Status is refreshed once a second: let it catch up with the window's
	// last second, so that no drop in the window goes uncounted (a drop in
	// the second after it may be counted too).
	time.Sleep(statusPeriod + 100*time.Millisecond)
	for _, f := range res.Failures {
		b.Log(f)
	}
	return res
}

// checkGoroutines fails the benchmark if goroutines it started outlive it.
func checkGoroutines(b *testing.B, before int) {
	if !playtest.Eventually(5*time.Second, func() bool { return runtime.NumGoroutine() <= before }) {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		b.Errorf("%d goroutines left running, %d before the benchmark:\n%s", runtime.NumGoroutine(), before, buf)
	}
}

// percentile of sorted durations, by the nearest-rank method; 0 when empty.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(float64(len(sorted))*p)) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func osName() string {
	b, err := os.ReadFile("/etc/os-release")
	if err != nil {
		return runtime.GOOS
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "PRETTY_NAME="); ok {
			return strings.Trim(v, `"`)
		}
	}
	return runtime.GOOS
}
