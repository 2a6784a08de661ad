//go:build linux

package perf

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/camwall/camwall/player/childproc"
	"github.com/camwall/camwall/player/playtest"
)

// windowCase is one wall the window benchmark measures.
type windowCase struct {
	Key     string // for CAMWALL_WINDOW_CASES
	Name    string
	Cameras int
	Sub     bool // 640×360 streams (a wall on substreams) instead of 1280×720
	FFplay  bool // also measure ffplay on the same streams
}

var windowCases = []windowCase{
	{"1", "1 × 720p30", 1, false, true},
	{"4", "4 × 720p30", 4, false, true},
	{"16", "16 × 720p30", 16, false, true},
	{"16s", "16 × 640×360 (substreams)", 16, true, true},
	{"64s", "64 × 640×360 (substreams)", 64, true, false},
}

// maxPatches bounds the tiles watched on the screen: one x11grab process
// each, which costs CPU of its own; camwall's painted counter covers every
// tile.
const maxPatches = 8

// grabRate is the screen sampling rate, twice the cameras' 30 fps.
const grabRate = 60

// BenchmarkWindow measures what a person sees: the built camwall binary in a
// real X window (1280×720) playing N cameras served by a separate process,
// its pictures counted on the screen by Debian's ffmpeg (x11grab of a patch
// of every tile that changes in every frame of the clip, one MD5 per
// sample), beside camwall's own painted counter and its CPU; then Debian's
// ffplay, one window per camera at the tile's place and size, on the same
// streams and the same patches. Run it under an X server:
//
//	make build && CAMWALL_BIN=$PWD/bin/camwall xvfb-run -a -s "-screen 0 1920x1080x24" \
//	  go test -tags migrated_fynedo -run '^$' -bench Window -benchtime 1x ./player/perf/
func BenchmarkWindow(b *testing.B) {
	display := os.Getenv("DISPLAY")
	if display == "" {
		b.Skip("no X display: make bench runs this under Xvfb")
	}
	grabber, err := exec.LookPath("ffmpeg")
	if err != nil {
		b.Fatal("Debian's ffmpeg (with x11grab) counts pictures on the screen: ", err)
	}
	ffplay, err := exec.LookPath("ffplay")
	if err != nil {
		b.Fatal("Debian's ffplay is the reference: ", err)
	}
	bin := os.Getenv("CAMWALL_BIN")
	if bin == "" {
		b.Fatal(`CAMWALL_BIN is not set: it names the camwall binary to measure. Run "make bench", or first "make build" and CAMWALL_BIN=$PWD/bin/camwall`)
	}
	// The floor: a bare Fyne program with the same tiles (app/barewall).
	floor := os.Getenv("CAMWALL_BAREWALL_BIN")
	if floor == "" {
		b.Log("the bare Fyne floor is not measured: CAMWALL_BAREWALL_BIN is not set (make bench builds bin/barewall)")
	}
	window := envSeconds(b, "CAMWALL_WINDOW_SECONDS", 15*time.Second)
	// CAMWALL_WINDOW_RELAY plays every camera through mediamtx (the relay
	// most walls read through) instead of straight from the project's
	// server; camwall and ffplay both read the relay. "mediamtx": each
	// camera published into it by Debian's ffmpeg (-re -stream_loop -1 -c
	// copy -f rtsp, as cameras behind a relay often are, and as the issue
	// measured: its frames reach the viewer bunched); "mediamtx-pull":
	// mediamtx pulls each stream from the project's server.
	relay := os.Getenv("CAMWALL_WINDOW_RELAY")
	if relay != "" && relay != relayPublished && relay != relayPulled {
		b.Fatalf("CAMWALL_WINDOW_RELAY=%q: want %s or %s", relay, relayPublished, relayPulled)
	}
	cases := windowCases
	if v := os.Getenv("CAMWALL_WINDOW_CASES"); v != "" {
		keys := strings.Split(v, ",")
		cases = slices.DeleteFunc(slices.Clone(cases), func(c windowCase) bool { return !slices.Contains(keys, c.Key) })
	}
	dir := b.TempDir()
	clip360 := filepath.Join(dir, "bench360.h264")
	if err := makeClip360(grabber, clip360); err != nil {
		b.Fatal(err)
	}

	rep := windowReport{Date: time.Now(), Window: window, CPUs: runtime.NumCPU(), OS: osName()}
	for b.Loop() {
		rep.Rows = rep.Rows[:0]
		for _, c := range cases {
			clip := ""
			if c.Sub {
				clip = clip360
			}
			srv, err := startServerWith(serverOptions{Streams: c.Cameras, Clip: clip, Staggered: true})
			if err != nil {
				b.Fatal(err)
			}
			var mtx *playtest.MediaMTX
			stopPublishing := func() {}
			switch relay {
			case relayPulled:
				mtx = relayed(b, srv)
			case relayPublished:
				src := clipPath
				if c.Sub {
					src = clip360
				}
				mtx, stopPublishing = published(b, grabber, srv, src, dir)
			}
			row := windowRow{Case: c, Relay: relay}
			row.Camwall, row.Rects = runWindowCamwall(b, bin, grabber, display, srv, window, dir)
			if c.FFplay && len(row.Rects) == c.Cameras {
				r := runWindowFFplay(b, ffplay, grabber, display, srv, row.Rects, window)
				row.FFplay = &r
			}
			stopPublishing()
			if mtx != nil {
				mtx.Kill()
			}
			srv.Close()
			if floor != "" && len(row.Rects) > 0 {
				r := runWindowFloor(b, floor, grabber, display, row.Rects, window)
				row.Floor = &r
			}
			rep.Rows = append(rep.Rows, row)
			b.Logf("%s: camwall screen %.1f fps (min %.1f), ffplay %s", c.Name, row.Camwall.Screen.mean(), row.Camwall.Screen.min(), row.ffplaySummary())
		}
	}
	md := rep.markdown()
	fmt.Print("\n" + md + "\n")
	if out := os.Getenv("CAMWALL_WINDOW_OUT"); out != "" {
		if err := os.WriteFile(out, []byte(md), 0o644); err != nil {
			b.Error(err)
		}
	}
}

// envSeconds reads a positive number of seconds from the environment.
func envSeconds(b *testing.B, name string, def time.Duration) time.Duration {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	s, err := strconv.ParseFloat(v, 64)
	if err != nil || s <= 0 {
		b.Fatalf("%s=%q: want a positive number of seconds", name, v)
	}
	return time.Duration(s * float64(time.Second))
}

// makeClip360 encodes the substream clip: the bench clip's pattern and
// settings at 640×360.
func makeClip360(ffmpeg, out string) error {
	cmd := exec.Command(ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
		"-f", "lavfi", "-i", "testsrc2=s=640x360:r=30:d=4",
		"-c:v", "libx264", "-profile:v", "main", "-pix_fmt", "yuv420p", "-bf", "0", "-g", "30", "-keyint_min", "30", "-sc_threshold", "0",
		"-b:v", "600k", "-maxrate", "600k", "-bufsize", "300k", "-x264-params", "aud=1:repeat-headers=1", "-f", "h264", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("encode the 640×360 clip: %v: %s", err, b)
	}
	return nil
}

// rect is a picture's place on the screen, in pixels.
type rect struct{ X, Y, W, H int }

// patch is the part of a picture the screen counter watches: testsrc2's
// noise squares (lower right), which differ in every frame of the clip.
func (r rect) patch() rect {
	w, h := max(16, r.W/5)&^1, max(8, r.H/6)&^1
	return rect{r.X + r.W*64/100, r.Y + r.H*66/100, w, h}
}

// fpsList holds one frame rate per tile.
type fpsList []float64

func (f fpsList) min() float64 {
	if len(f) == 0 {
		return 0
	}
	return slices.Min(f)
}

func (f fpsList) mean() float64 {
	if len(f) == 0 {
		return 0
	}
	s := 0.0
	for _, v := range f {
		s += v
	}
	return s / float64(len(f))
}

// phase is one program's measured window.
type phase struct {
	Screen     fpsList // per watched tile, counted on the screen
	SampleRate float64 // screen samples per second actually grabbed (lowest patch)
	Own        fpsList // the program's own figure per tile: camwall's painted counter
	CPU        float64 // cores
	Machine    float64 // the whole machine's busy cores, server included
	RSS        int64   // bytes, at the window's end (camwall only)
	Drops      float64 // ffplay's own dropped frames per second per window
	Watched    int
	Failures   []string
	// Window is the cores the window alone used (windowCPU): drawing and
	// rasterising, without receiving or decoding.
	Window float64
}

// repaints is the window's repaints per second: every watched tile's
// picture changes at most once a repaint, so the busiest tile counts them.
func (p phase) repaints() float64 {
	if len(p.Screen) == 0 {
		return 0
	}
	return slices.Max(p.Screen)
}

// windowPerRepaint is the window's CPU milliseconds per repaint.
func (p phase) windowPerRepaint() float64 {
	if r := p.repaints(); r > 0 {
		return 1000 * p.Window / r
	}
	return 0
}

// cpuPerPicture is CPU milliseconds per picture painted, all tiles.
func (p phase) cpuPerPicture(tiles int) float64 {
	painted := p.Screen.mean() * float64(tiles)
	if painted <= 0 {
		return 0
	}
	return 1000 * p.CPU / painted
}

// runWindowCamwall plays the server's streams in the camwall window and
// returns the measured window and every tile's picture rectangle.
func runWindowCamwall(b *testing.B, bin, grabber, display string, srv *serverProcess, window time.Duration, dir string) (phase, []rect) {
	var res phase
	args := append([]string{"--config", filepath.Join(dir, "none.yaml"), "--log-stats", "1s"}, srv.URLs...)
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		b.Fatal(err)
	}
	log := newTileLog(len(srv.URLs))
	wall, err := playtest.StartProcess(cmd, func() { log.read(stderr) })
	if err != nil {
		b.Fatal(err)
	}
	defer wall.Stop(syscall.SIGTERM, 10*time.Second)

	// Warm up until every tile is live and painting, then one more second.
	if !playtest.Eventually(40*time.Second, log.allPainting) {
		res.Failures = append(res.Failures, "not every tile was painting after 40 s")
	}
	time.Sleep(2 * time.Second)
	rects := log.rects()
	watched := watchSample(rects)

	span := startSpan(srv.PID())
	cpu0, _ := procCPU(wall.PID())
	win0, _ := windowCPU(wall.PID())
	log.startWindow()
	counts, rate, err := countScreen(grabber, display, watched, window)
	cpu1, _ := procCPU(wall.PID())
	win1, _ := windowCPU(wall.PID())
	d, load := span.end(cpu1.Sub(cpu0).Total())
	if err != nil {
		res.Failures = append(res.Failures, err.Error())
	}
	res.Screen, res.SampleRate, res.Watched = counts, rate, len(watched)
	res.Own = log.windowMeans()
	res.CPU = cpu1.Sub(cpu0).Total().Seconds() / d.Seconds()
	res.Window = win1.Sub(win0).Total().Seconds() / d.Seconds()
	res.Machine = res.CPU + load.Server + load.Other
	res.RSS = procStatusKB(strconv.Itoa(cmd.Process.Pid), "VmRSS")
	return res, rects
}

// The relays CAMWALL_WINDOW_RELAY names.
const (
	relayPublished = "mediamtx"
	relayPulled    = "mediamtx-pull"
)

// published starts mediamtx with one path per stream of srv, each
// published into by Debian's ffmpeg from clip (raw H.264 at 30 fps, put in
// MP4 first so that the publisher has timestamps), and points srv's URLs at
// the relay. The returned function stops the publishers.
func published(b *testing.B, ffmpeg string, srv *serverProcess, clip, dir string) (*playtest.MediaMTX, func()) {
	mp4 := filepath.Join(dir, filepath.Base(clip)+".mp4")
	if _, err := os.Stat(mp4); err != nil {
		if out, err := exec.Command(ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
			"-f", "h264", "-framerate", "30", "-i", clip, "-c", "copy", mp4).CombinedOutput(); err != nil {
			b.Fatalf("put %s in MP4: %v\n%s", clip, err, out)
		}
	}
	sources := map[string]string{}
	for i := range srv.URLs {
		sources[fmt.Sprintf("cam%d", i+1)] = playtest.Publisher
	}
	m := playtest.StartMediaMTX(b, sources)
	var pubs []*playtest.Process
	for i := range srv.URLs {
		cmd := exec.Command(ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-stream_loop", "-1",
			"-i", mp4, "-c", "copy", "-f", "rtsp", "-rtsp_transport", "tcp", m.URL(fmt.Sprintf("cam%d", i+1)))
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		p, err := playtest.StartProcess(cmd, nil)
		if err != nil {
			b.Fatal(err)
		}
		pubs = append(pubs, p)
		srv.URLs[i] = m.URL(fmt.Sprintf("cam%d", i+1))
	}
	return m, func() {
		for _, p := range pubs {
			p.Kill()
		}
	}
}

// relayed starts mediamtx pulling every stream of srv and points srv's URLs
// at the relay.
func relayed(b *testing.B, srv *serverProcess) *playtest.MediaMTX {
	sources := map[string]string{}
	for i, u := range srv.URLs {
		sources[fmt.Sprintf("cam%d", i+1)] = u
	}
	m := playtest.StartMediaMTX(b, sources)
	for i := range srv.URLs {
		srv.URLs[i] = m.URL(fmt.Sprintf("cam%d", i+1))
	}
	return m
}

// runWindowFloor runs the bare Fyne program with as many tiles as rects,
// each of rects' size, in a window of just the grid at the screen's top
// left, and measures it as the camwall window is measured.
func runWindowFloor(b *testing.B, bin, grabber, display string, rects []rect, window time.Duration) phase {
	var res phase
	n, tw, th := len(rects), rects[0].W, rects[0].H
	cols := int(math.Ceil(math.Sqrt(float64(n))))
	rows := (n + cols - 1) / cols
	cmd := exec.Command(bin, "--tiles", strconv.Itoa(n), "--width", strconv.Itoa(cols*tw), "--height", strconv.Itoa(rows*th))
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	var tiles []rect
	p, err := playtest.StartProcess(cmd, func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			var i int
			var r rect
			if _, err := fmt.Sscanf(sc.Text(), "tile %d %d %d %d %d", &i, &r.X, &r.Y, &r.W, &r.H); err == nil {
				mu.Lock()
				tiles = append(tiles, r)
				mu.Unlock()
			}
		}
	})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Stop(syscall.SIGTERM, 10*time.Second)
	if !playtest.Eventually(20*time.Second, func() bool { mu.Lock(); defer mu.Unlock(); return len(tiles) == n }) {
		res.Failures = append(res.Failures, "the bare Fyne program did not show its tiles within 20 s")
		return res
	}
	time.Sleep(2 * time.Second)
	mu.Lock()
	watched := watchSample(tiles)
	mu.Unlock()
	span := startSpan(0)
	cpu0, _ := procCPU(p.PID())
	win0, _ := windowCPU(p.PID())
	counts, rate, err := countScreen(grabber, display, watched, window)
	cpu1, _ := procCPU(p.PID())
	win1, _ := windowCPU(p.PID())
	d, load := span.end(cpu1.Sub(cpu0).Total())
	if err != nil {
		res.Failures = append(res.Failures, err.Error())
	}
	res.Screen, res.SampleRate, res.Watched = counts, rate, len(watched)
	res.CPU = cpu1.Sub(cpu0).Total().Seconds() / d.Seconds()
	res.Window = win1.Sub(win0).Total().Seconds() / d.Seconds()
	res.Machine = res.CPU + load.Other
	return res
}

// watchSample picks at most maxPatches tiles spread over the wall.
func watchSample(rects []rect) []rect {
	if len(rects) <= maxPatches {
		return rects
	}
	var out []rect
	step := float64(len(rects)) / maxPatches
	for i := range maxPatches {
		out = append(out, rects[int(float64(i)*step)])
	}
	return out
}

// runWindowFFplay plays the same streams with one ffplay per camera, each
// window at its camwall tile's place and size.
func runWindowFFplay(b *testing.B, ffplay, grabber, display string, srv *serverProcess, rects []rect, window time.Duration) phase {
	var res phase
	procs := make([]*ffplayProcess, len(rects))
	for i, r := range rects {
		p, err := startFFplay(ffplay, srv.URLs[i], r, i)
		if err != nil {
			b.Fatal(err)
		}
		procs[i] = p
	}
	defer func() {
		for _, p := range procs {
			p.stop()
		}
	}()
	// ffplay has no status to wait for: give every window time to connect,
	// probe and settle.
	time.Sleep(8 * time.Second)
	span := startSpan(srv.PID())
	var cpu0 cpuTime
	drops0 := make([]int, len(procs))
	for i, p := range procs {
		c, _ := procCPU(p.PID())
		cpu0 = cpu0.Add(c)
		drops0[i] = p.drops()
	}
	counts, rate, err := countScreen(grabber, display, watchSample(rects), window)
	var cpu1 cpuTime
	drops := 0
	for i, p := range procs {
		c, _ := procCPU(p.PID())
		cpu1 = cpu1.Add(c)
		drops += p.drops() - drops0[i]
		if p.Exited() {
			res.Failures = append(res.Failures, fmt.Sprintf("ffplay %d exited: %s", i+1, lastLine(p.stderr.String())))
		}
	}
	d, load := span.end(cpu1.Sub(cpu0).Total())
	if err != nil {
		res.Failures = append(res.Failures, err.Error())
	}
	res.Screen, res.SampleRate, res.Watched = counts, rate, len(watchSample(rects))
	res.CPU = cpu1.Sub(cpu0).Total().Seconds() / d.Seconds()
	res.Machine = res.CPU + load.Server + load.Other
	res.Drops = float64(drops) / d.Seconds() / float64(len(procs))
	return res
}

// countScreen grabs a patch of each rectangle from the X screen at grabRate
// for the window, one ffmpeg process per patch (ffmpeg 5.1 starves all but
// one x11grab input of a process), and returns for each the number of times
// a second its MD5 changed (pictures that reached the screen), and the
// lowest number of samples a second actually grabbed.
func countScreen(ffmpeg, display string, rects []rect, window time.Duration) (fpsList, float64, error) {
	if !strings.Contains(display, ".") {
		display += ".0"
	}
	secs := strconv.FormatFloat(window.Seconds(), 'f', 3, 64)
	cmds := make([]*exec.Cmd, len(rects))
	outs := make([]*bytes.Buffer, len(rects))
	for i, r := range rects {
		p := r.patch()
		outs[i] = &bytes.Buffer{}
		cmds[i] = exec.Command(ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin",
			"-f", "x11grab", "-draw_mouse", "0", "-framerate", strconv.Itoa(grabRate),
			"-video_size", fmt.Sprintf("%dx%d", p.W, p.H), "-i", fmt.Sprintf("%s+%d,%d", display, p.X, p.Y),
			"-t", secs, "-f", "framemd5", "-")
		cmds[i].Stdout = outs[i]
		cmds[i].SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	}
	var errs []string
	for i, c := range cmds {
		if err := childproc.Start(c); err != nil {
			errs = append(errs, fmt.Sprintf("x11grab %d: %v", i+1, err))
			cmds[i] = nil
		}
	}
	for i, c := range cmds {
		if c != nil {
			if err := c.Wait(); err != nil {
				errs = append(errs, fmt.Sprintf("x11grab %d: %v", i+1, err))
			}
		}
	}
	fps := make(fpsList, len(rects))
	rate := 0.0
	for i, out := range outs {
		changes, samples := countChanges(out.String())
		fps[i] = float64(changes) / window.Seconds()
		if r := float64(samples) / window.Seconds(); i == 0 || r < rate {
			rate = r
		}
	}
	if len(errs) > 0 {
		return fps, rate, errors.New(strings.Join(errs, "; "))
	}
	return fps, rate, nil
}

// countChanges reads framemd5 output: how many samples differ from the one
// before, and how many samples there are.
func countChanges(framemd5 string) (changes, samples int) {
	prev := ""
	for line := range strings.SplitSeq(framemd5, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, ",")
		hash := strings.TrimSpace(f[len(f)-1])
		if samples > 0 && hash != prev {
			changes++
		}
		prev = hash
		samples++
	}
	return changes, samples
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexAny(s, "\r\n"); i >= 0 {
		return s[i+1:]
	}
	return s
}

// tileLog follows camwall's --log-stats lines on its stderr.
type tileLog struct {
	mu        sync.Mutex
	n         int
	last      []tileLine
	measuring bool
	sums      []float64
	rounds    []int
}

type tileLine struct {
	state   string
	painted float64
	r       rect
}

func newTileLog(n int) *tileLog {
	return &tileLog{n: n, last: make([]tileLine, n), sums: make([]float64, n), rounds: make([]int, n)}
}

func (l *tileLog) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		// The default slog handler: "DATE TIME INFO tile key=value …".
		_, rest, ok := strings.Cut(sc.Text(), " INFO tile ")
		if !ok {
			continue
		}
		f := logFields(rest)
		i, err := strconv.Atoi(f["tile"])
		if err != nil || i < 1 || i > l.n {
			continue
		}
		var tl tileLine
		tl.state = f["state"]
		tl.painted, _ = strconv.ParseFloat(f["painted_fps"], 64)
		tl.r.X, _ = strconv.Atoi(f["x"])
		tl.r.Y, _ = strconv.Atoi(f["y"])
		tl.r.W, _ = strconv.Atoi(f["w"])
		tl.r.H, _ = strconv.Atoi(f["h"])
		l.mu.Lock()
		l.last[i-1] = tl
		if l.measuring {
			l.sums[i-1] += tl.painted
			l.rounds[i-1]++
		}
		l.mu.Unlock()
	}
}

// logFields splits slog's key=value pairs.
func logFields(line string) map[string]string {
	out := map[string]string{}
	for len(line) > 0 {
		line = strings.TrimLeft(line, " ")
		k, rest, ok := strings.Cut(line, "=")
		if !ok {
			break
		}
		var v string
		if strings.HasPrefix(rest, `"`) {
			if uq, err := strconv.QuotedPrefix(rest); err == nil {
				v, _ = strconv.Unquote(uq)
				rest = rest[len(uq):]
			}
		} else {
			v, rest, _ = strings.Cut(rest, " ")
		}
		out[k] = v
		line = rest
	}
	return out
}

func (l *tileLog) allPainting() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, t := range l.last {
		if t.state != "live" || t.painted <= 0 || t.r.W == 0 {
			return false
		}
	}
	return true
}

func (l *tileLog) rects() []rect {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []rect
	for _, t := range l.last {
		if t.r.W > 0 {
			out = append(out, t.r)
		}
	}
	return out
}

func (l *tileLog) startWindow() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.measuring = true
}

func (l *tileLog) windowMeans() fpsList {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(fpsList, l.n)
	for i := range out {
		if l.rounds[i] > 0 {
			out[i] = l.sums[i] / float64(l.rounds[i])
		}
	}
	return out
}

// ffplayProcess is Debian's ffplay showing one stream in a window.
type ffplayProcess struct {
	*playtest.Process
	stderr *playtest.Buffer
	mu     sync.Mutex
	fd     int // the latest "fd=" (frames dropped) of its status line
}

// ffplayFlags are the low-latency settings camwall is compared with.
var ffplayFlags = []string{"-fflags", "nobuffer", "-flags", "low_delay", "-framedrop", "-rtsp_transport", "tcp"}

func startFFplay(bin, url string, r rect, i int) (*ffplayProcess, error) {
	args := append([]string{"-hide_banner", "-an", "-sn", "-noborder",
		"-left", strconv.Itoa(r.X), "-top", strconv.Itoa(r.Y), "-x", strconv.Itoa(r.W), "-y", strconv.Itoa(r.H),
		"-window_title", fmt.Sprintf("ffplay %d", i+1)}, ffplayFlags...)
	args = append(args, url)
	p := &ffplayProcess{stderr: &playtest.Buffer{Limit: 64 << 10}}
	cmd := exec.Command(bin, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	cmd.Env = append(os.Environ(), "SDL_AUDIODRIVER=dummy")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if p.Process, err = playtest.StartProcess(cmd, func() { p.readStatus(stderr) }); err != nil {
		return nil, fmt.Errorf("start ffplay: %w", err)
	}
	return p, nil
}

// readStatus follows ffplay's status line ("… fd=   3 aq= …\r").
func (p *ffplayProcess) readStatus(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Split(splitCR)
	for sc.Scan() {
		line := sc.Text()
		_, _ = p.stderr.Write([]byte(line + "\n"))
		if _, rest, ok := strings.Cut(line, "fd="); ok {
			if f := strings.Fields(rest); len(f) > 0 {
				if n, err := strconv.Atoi(f[0]); err == nil {
					p.mu.Lock()
					p.fd = n
					p.mu.Unlock()
				}
			}
		}
	}
}

// splitCR splits at \r or \n: ffplay rewrites its status line with \r.
func splitCR(data []byte, atEOF bool) (int, []byte, error) {
	for i, c := range data {
		if c == '\r' || c == '\n' {
			return i + 1, data[:i], nil
		}
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}

func (p *ffplayProcess) drops() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.fd
}

// stop ends ffplay by its PID (it is killed if it is still running 5 s
// later) and waits for it.
func (p *ffplayProcess) stop() { p.Stop(syscall.SIGTERM, 5*time.Second) }
