package player

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
)

// mjpegServer serves multipart JPEG at /video the way IP cameras do, a
// 320x240 picture every 50 ms, until the client goes.
func mjpegServer(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 320, 240))
	for i := range img.Pix {
		img.Pix[i] = 0x80
	}
	var frame bytes.Buffer
	img.Set(10, 10, color.RGBA{255, 0, 0, 255})
	if err := jpeg.Encode(&frame, img, nil); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/video" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "multipart/x-mixed-replace; boundary=frame")
		for r.Context().Err() == nil {
			fmt.Fprintf(w, "--frame\r\nContent-Type: image/jpeg\r\nContent-Length: %d\r\n\r\n", frame.Len())
			if _, err := w.Write(frame.Bytes()); err != nil {
				return
			}
			fmt.Fprint(w, "\r\n")
			w.(http.Flusher).Flush()
			time.Sleep(50 * time.Millisecond)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestAnyFFmpegURLPlaysInATile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		url   func(t *testing.T) string
		codec string
		w, h  int
	}{
		{"an MPEG-TS file", func(t *testing.T) string {
			return "file://" + playtest.FFmpegFile(t, "clip.ts", "-f", "h264", "-framerate", "30", "-i", playtest.DemoFile(t), "-c", "copy")
		}, "H.264", 640, 360},
		{"an MP4 file, as camwall records them", func(t *testing.T) string {
			return "file://" + playtest.FFmpegFile(t, "clip.mp4", "-f", "h264", "-framerate", "30", "-i", playtest.DemoFile(t), "-c", "copy")
		}, "H.264", 640, 360},
		{"MPEG-TS over UDP", func(t *testing.T) string {
			port := playtest.FreeUDPPort(t)
			runFFmpeg(t, "-re", "-stream_loop", "-1", "-f", "h264", "-framerate", "30", "-i", playtest.DemoFile(t),
				"-c", "copy", "-f", "mpegts", fmt.Sprintf("udp://127.0.0.1:%d?pkt_size=1316", port))
			return fmt.Sprintf("udp://@:%d?localaddr=127.0.0.1", port)
		}, "H.264", 640, 360},
		{"MPEG-TS from a TCP server", func(t *testing.T) string {
			addr := playtest.FreeTCPAddr(t)
			runFFmpeg(t, "-re", "-stream_loop", "-1", "-f", "h264", "-framerate", "30", "-i", playtest.DemoFile(t),
				"-c", "copy", "-f", "mpegts", "tcp://"+addr+"?listen=1")
			return "tcp://" + addr
		}, "H.264", 640, 360},
		{"HTTP MJPEG from an IP camera", func(t *testing.T) string { return mjpegServer(t) + "/video" }, "MJPEG", 320, 240},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := play(t, Config{Name: tc.name, URL: tc.url(t)})
			st := waitState(t, s, 10*time.Second, StateLive)
			if st.Codec != tc.codec || st.Width != tc.w || st.Height != tc.h {
				t.Errorf("live as %s %dx%d, want %s %dx%d", st.Codec, st.Width, st.Height, tc.codec, tc.w, tc.h)
			}
			playtest.WaitFor(t, 20*time.Second, "no picture published to the tile", func() bool { return s.Frames().Published() > 0 })
		})
	}
}

func TestAFilePlaysAtItsFrameRateAndLoops(t *testing.T) {
	t.Parallel()
	// One second of video: 30 frames.
	clip := playtest.FFmpegFile(t, "one-second.ts", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=1",
		"-c:v", "libx264", "-preset", "ultrafast", "-bf", "0", "-g", "30", "-pix_fmt", "yuv420p")
	s := play(t, Config{Name: "file", URL: "file://" + clip})
	waitState(t, s, 20*time.Second, StateLive)
	start, n0 := time.Now(), s.stats.decoded.Load()
	playtest.WaitFor(t, 15*time.Second, "the file did not loop", func() bool { return s.stats.decoded.Load() >= n0+45 })
	// Paced: 45 frames take about 1.5 s, never much less (a file read
	// as fast as it decodes would take a few milliseconds).
	if took := time.Since(start); took < time.Second {
		t.Errorf("45 frames in %v: the file is not played at its frame rate", took)
	}
	if st := s.Status(); st.State != StateLive {
		t.Errorf("after the loop: %s", describe(st))
	}
}

func TestAnInputThatCannotPlayIsExplained(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		url    func(t *testing.T) string
		reason string
	}{
		{"a missing file", func(t *testing.T) string { return "file:///nonexistent/camwall/clip.ts" }, "file not found"},
		{"a file that is not video", func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "garbage.ts")
			if err := os.WriteFile(p, bytes.Repeat([]byte("not a video "), 4096), 0o600); err != nil {
				t.Fatal(err)
			}
			return "file://" + p
		}, "not a video stream camwall can read"},
		{"a codec camwall does not play", func(t *testing.T) string {
			return "file://" + playtest.FFmpegFile(t, "mpeg4.mkv", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=15:d=1", "-c:v", "mpeg4")
		}, "unsupported video codec mpeg4: camwall plays H.264, H.265 and MJPEG"},
		{"an HTTP path that is not there", func(t *testing.T) string { return mjpegServer(t) + "/nothing" }, "stream not found (HTTP 404)"},
		{"a UDP port nobody sends to", func(t *testing.T) string {
			return fmt.Sprintf("udp://@:%d?localaddr=127.0.0.1", playtest.FreeUDPPort(t))
		}, "no video received for 1s"},
		{"a kind of URL camwall does not open", func(t *testing.T) string { return "ftp://127.0.0.1/clip" }, `unsupported URL scheme "ftp"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := play(t, Config{Name: tc.name, URL: tc.url(t), ReadTimeout: time.Second})
			playtest.WaitFor(t, 10*time.Second, "no reason shown", func() bool {
				st := s.Status()
				return (st.State == StateReconnecting || st.State == StateFailed) && st.Reason != ""
			})
			if st := s.Status(); !strings.Contains(st.Reason, tc.reason) {
				t.Errorf("reason %q, want it to contain %q", st.Reason, tc.reason)
			}
		})
	}
}
