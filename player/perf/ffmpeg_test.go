//go:build linux

package perf

import (
	"bufio"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/camwall/camwall/player/playtest"
)

// ffmpegConfig is one way of running the reference ffmpeg on every stream.
type ffmpegConfig struct {
	Name string
	// Input options (before -i) and the filter chain.
	Input []string
	VF    string
}

// The references. The issue's command is what the CPU goal is judged
// against: ffmpeg's defaults decode with frame threads (threads=auto) and
// scale bicubic, with the filter graph's own threads. The second does the
// same work as camwall's pipeline: one decoder thread with low_delay, one
// filter thread, bilinear scaling; it shows what camwall's own overhead
// (Go, RTP depacketizing, copies) costs.
var (
	ffmpegIssue   = ffmpegConfig{Name: "ffmpeg (issue's command)", VF: "scale=320:180,format=rgba"}
	ffmpegMatched = ffmpegConfig{
		Name:  "ffmpeg (camwall's settings)",
		Input: []string{"-threads", "1", "-flags", "low_delay", "-filter_threads", "1"},
		VF:    "scale=320:180:flags=bilinear,format=rgba",
	}
)

// Command is the configuration's command line for url, for the report.
func (c ffmpegConfig) Command(url string) string {
	return "ffmpeg " + strings.Join(c.args(url), " ")
}

// args is the command for one stream: decode, scale to the tile and
// discard, with machine-readable progress on stdout ten times a second so
// that frames can be counted at the window's edges.
func (c ffmpegConfig) args(url string) []string {
	a := []string{
		"-hide_banner", "-nostdin", "-nostats", "-loglevel", "error",
		"-progress", "pipe:1", "-stats_period", "0.1",
	}
	a = append(a, c.Input...)
	return append(a, "-rtsp_transport", "tcp", "-i", url, "-vf", c.VF, "-f", "null", "-")
}

// ffmpegProcess is one reference ffmpeg playing one stream.
type ffmpegProcess struct {
	*playtest.Process
	stderr *playtest.Buffer

	mu     sync.Mutex
	frames int64     // latest frame= of the progress output
	at     time.Time // when that line arrived
}

// progress is a frame count and when ffmpeg reported it.
type progress struct {
	frames int64
	at     time.Time
}

func startFFmpeg(bin string, cfg ffmpegConfig, url string) (*ffmpegProcess, error) {
	cmd := exec.Command(bin, cfg.args(url)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	p := &ffmpegProcess{stderr: &playtest.Buffer{Limit: 64 << 10}}
	cmd.Stderr = p.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if p.Process, err = playtest.StartProcess(cmd, func() { p.readProgress(stdout) }); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	return p, nil
}

// readProgress follows the key=value blocks of -progress; each block starts
// with frame=N.
func (p *ffmpegProcess) readProgress(r io.Reader) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		v, ok := strings.CutPrefix(sc.Text(), "frame=")
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			continue
		}
		now := time.Now()
		p.mu.Lock()
		p.frames, p.at = n, now
		p.mu.Unlock()
	}
}

func (p *ffmpegProcess) progress() progress {
	p.mu.Lock()
	defer p.mu.Unlock()
	return progress{p.frames, p.at}
}

// stop interrupts ffmpeg (it then finishes cleanly), kills it if it is
// still running 5 s later, and waits for it.
func (p *ffmpegProcess) stop() { p.Stop(syscall.SIGINT, 5*time.Second) }
