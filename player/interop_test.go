package player

import (
	"bytes"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camwall/camwall/player/rtspserver"
	"github.com/camwall/camwall/player/source/rtsp"
)

// lockedBuffer collects a process's output while it runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// publish runs the ffmpeg CLI as a camera that pushes a test pattern into
// url (RTSP ANNOUNCE/RECORD over TCP), with the given encoder arguments. The
// process is killed when the test ends.
func publish(t *testing.T, url string, encoder ...string) *lockedBuffer {
	t.Helper()
	args := []string{"-re", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=15"}
	args = append(args, encoder...)
	args = append(args, "-an", "-f", "rtsp", "-rtsp_transport", "tcp", url)
	return runFFmpeg(t, args...)
}

// runFFmpeg starts Debian's ffmpeg CLI, an independent peer, with args; it
// is killed by its PID when the test ends, and its output shown if the test
// failed.
func runFFmpeg(t *testing.T, args ...string) *lockedBuffer {
	t.Helper()
	bin, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Skip("no ffmpeg on PATH: Debian's ffmpeg (libx264, libx265) is the independent peer of these tests")
	}
	args = append([]string{"-hide_banner", "-loglevel", "error", "-nostdin"}, args...)
	cmd := exec.Command(bin, args...)
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start ffmpeg: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("ffmpeg %s\n%s", strings.Join(args, " "), out.String())
		}
	})
	return out
}

func TestFFmpegPublishedStreamsPlay(t *testing.T) {
	tests := []struct {
		name    string
		encoder []string
		codec   string
	}{
		{"H.264 from libx264", []string{"-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-bf", "0", "-g", "15", "-pix_fmt", "yuv420p"}, "H.264"},
		{"H.265 from libx265", []string{"-c:v", "libx265", "-preset", "ultrafast", "-bf", "0", "-g", "15", "-pix_fmt", "yuv420p",
			"-x265-params", "log-level=error"}, "H.265"},
		{"MJPEG", []string{"-c:v", "mjpeg", "-pix_fmt", "yuvj420p", "-q:v", "5",
			"-huffman", "default"}, "MJPEG"}, // RTP/JPEG (RFC 2435) allows only the standard tables
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := startServer(t, &rtspserver.Server{})
			publish(t, srv.URL("cam"), tc.encoder...)
			// ffmpeg's start-up, not the player, dominates here: be patient.
			if err := srv.WaitPublisher("cam", 15*time.Second); err != nil {
				t.Fatal(err)
			}
			s := play(t, Config{Name: "ffmpeg", URL: srv.URL("cam"), Transport: rtsp.TransportTCP})
			waitFor(t, 10*time.Second, "no frame published", func() bool { return s.Frames().Published() > 0 })
			st := s.Status()
			if st.State != StateLive || st.Codec != tc.codec || st.Width != 320 || st.Height != 240 {
				t.Errorf("status = %+v, want live %s 320x240", st, tc.codec)
			}
			// The picture fills the 320x240 tile exactly (same aspect).
			img, ok := s.Frames().Take()
			if !ok || img.Bounds().Dx() != 320 || img.Bounds().Dy() != 240 {
				t.Errorf("picture %v (ok %v), want 320x240", img.Bounds(), ok)
			}
			published := s.Frames().Published()
			waitFor(t, 3*time.Second, "the stream stopped after its first pictures", func() bool {
				return s.Frames().Published() > published+5
			})
			if st := s.Status(); st.Corrupt != 0 {
				t.Errorf("%d corrupt access units in a clean stream", st.Corrupt)
			}
		})
	}
}
