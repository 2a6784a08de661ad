//go:build linux

package perf

import (
	"io"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/camwall/camwall/assets"
	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/rtspserver"
)

const (
	// envServer marks the re-executed test binary that serves the streams.
	envServer = "CAMWALL_BENCH_SERVER"
	// envStreams is the number of streams served and played.
	envStreams = "CAMWALL_BENCH_STREAMS"
	// envStagger, set to 1, spreads the streams' send times over the frame
	// period instead of sending every stream's frame at the same instant.
	envStagger = "CAMWALL_BENCH_STAGGER"
	// envClip names the H.264 clip served (default clipPath).
	envClip = "CAMWALL_BENCH_CLIP"
	// envAudio names an AAC ADTS file served beside the video on every
	// stream (default: none, video only).
	envAudio = "CAMWALL_BENCH_AUDIO_CLIP"

	clipPath = "testdata/bench720.h264"
	clipFPS  = 30
)

// TestBenchServerProcess is not a test: BenchmarkWall re-executes the test
// binary to run it as a separate process that serves the benchmark's streams,
// so that the server's CPU is not counted as camwall's. It serves until its
// standard input closes (the benchmark ends, or dies) or it is killed.
func TestBenchServerProcess(t *testing.T) {
	if os.Getenv(envServer) != "1" {
		t.Skip("helper process of BenchmarkWall; runs only when it re-executes the test binary")
	}
	path := clipPath
	if p := os.Getenv(envClip); p != "" {
		path = p
	}
	clip, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	aus, err := assets.AccessUnits(clip)
	if err != nil {
		t.Fatal(err)
	}
	var audio *rtspserver.AudioClip
	if p := os.Getenv(envAudio); p != "" {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if audio, err = rtspserver.ParseADTS(b); err != nil {
			t.Fatal(err)
		}
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	n := streamCount()
	var urls []string
	if !staggered() {
		// One server: its streams' loops start together, so every stream
		// sends its frame at the same instant of each frame period, the
		// worst case for latency.
		srv := &rtspserver.Demo{Addr: "127.0.0.1:0", Streams: n, Clip: rtspserver.Clip{AccessUnits: aus, FPS: clipFPS, Audio: audio}, Logger: logger}
		if err := srv.Start(); err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		for i := 1; i <= n; i++ {
			urls = append(urls, srv.URL(i))
		}
	} else {
		// Like independent cameras: one single-stream server per stream,
		// started 1/n of a frame period apart, each at a different point of
		// the clip.
		for i := range n {
			clip := slices.Concat(aus[i*len(aus)/n:], aus[:i*len(aus)/n])
			var snd *rtspserver.AudioClip
			if audio != nil {
				// The same fraction into the audio, which is as long as
				// the video (benchAAC).
				f := audio.Frames
				snd = &rtspserver.AudioClip{Config: audio.Config, Frames: slices.Concat(f[i*len(f)/n:], f[:i*len(f)/n])}
			}
			srv := &rtspserver.Demo{Addr: "127.0.0.1:0", Streams: 1, Clip: rtspserver.Clip{AccessUnits: clip, FPS: clipFPS, Audio: snd}, Logger: logger}
			if err := srv.Start(); err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			urls = append(urls, srv.URL(1))
			time.Sleep(time.Second / clipFPS / time.Duration(n))
		}
	}
	if err := playtest.AnnounceURLs(os.Stdout, urls); err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, os.Stdin)
}

func staggered() bool { return os.Getenv(envStagger) == "1" }

func streamCount() int {
	if n, err := strconv.Atoi(os.Getenv(envStreams)); err == nil && n > 0 {
		return n
	}
	return 16
}

// serverProcess is the child process serving the streams.
type serverProcess = playtest.ServerChild

// serverOptions choose what the server process serves.
type serverOptions struct {
	Streams int
	// Clip is the H.264 file looped on every stream; empty: clipPath.
	Clip string
	// Staggered: one server per stream, as independent cameras (see
	// envStagger); false: the environment's CAMWALL_BENCH_STAGGER decides.
	Staggered bool
	// Audio is an AAC ADTS file sent beside the video on every stream;
	// empty: video only.
	Audio string
}

// startServer re-executes the test binary as the RTSP server and waits for
// it to announce the streams' URLs.
func startServer(streams int) (*serverProcess, error) {
	return startServerWith(serverOptions{Streams: streams})
}

func startServerWith(o serverOptions) (*serverProcess, error) {
	streams := o.Streams
	cmd := playtest.Rerun("TestBenchServerProcess", envServer+"=1", envStreams+"="+strconv.Itoa(streams))
	if o.Clip != "" {
		cmd.Env = append(cmd.Env, envClip+"="+o.Clip)
	}
	if o.Audio != "" {
		cmd.Env = append(cmd.Env, envAudio+"="+o.Audio)
	}
	if o.Staggered {
		cmd.Env = append(cmd.Env, envStagger+"=1")
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	return playtest.StartServerChild(cmd, streams, 30*time.Second)
}
