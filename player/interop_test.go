package player

import (
	"os/exec"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/rtspserver"
	"github.com/camwall/camwall/player/source/rtsp"
)

// publish runs the ffmpeg CLI as a camera that pushes a test pattern into
// url (RTSP ANNOUNCE/RECORD over TCP), with the given encoder arguments. The
// process is killed when the test ends.
func publish(t *testing.T, url string, encoder ...string) *playtest.Buffer {
	t.Helper()
	args := []string{"-re", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=15"}
	args = append(args, encoder...)
	args = append(args, "-an", "-f", "rtsp", "-rtsp_transport", "tcp", url)
	return runFFmpeg(t, args...)
}

// runFFmpeg starts Debian's ffmpeg CLI, an independent peer, with args; it
// is killed by its PID when the test ends, and its output shown if the test
// failed.
func runFFmpeg(t *testing.T, args ...string) *playtest.Buffer {
	t.Helper()
	args = append([]string{"-hide_banner", "-loglevel", "error", "-nostdin"}, args...)
	return playtest.Start(t, exec.Command(playtest.FFmpeg(t), args...)).Output
}

// playPublished has ffmpeg publish the test pattern with encoder into a new
// server, as a camera that pushes, and plays it over TCP until the first
// picture is published.
func playPublished(t *testing.T, encoder ...string) *Session {
	t.Helper()
	srv := playtest.StartServer(t, &rtspserver.Server{})
	publish(t, srv.URL("cam"), encoder...)
	// ffmpeg's start-up, not the player, dominates here: be patient.
	if err := srv.WaitPublisher("cam", 15*time.Second); err != nil {
		t.Fatal(err)
	}
	s := play(t, Config{Name: "ffmpeg", URL: srv.URL("cam"), Transport: rtsp.TransportTCP})
	playtest.WaitFor(t, 10*time.Second, "no frame published", func() bool { return s.Frames().Published() > 0 })
	return s
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
			s := playPublished(t, tc.encoder...)
			st := s.Status()
			if st.State != StateLive || st.Codec != tc.codec || st.Width != 320 || st.Height != 240 {
				t.Errorf("status = %+v, want live %s 320x240", st, tc.codec)
			}
			// The picture fills the 320x240 tile exactly (same aspect).
			img, ok := takePublished(s.Frames())
			if !ok || img.Bounds().Dx() != 320 || img.Bounds().Dy() != 240 {
				t.Errorf("picture %v (ok %v), want 320x240", img.Bounds(), ok)
			}
			published := s.Frames().Published()
			playtest.WaitFor(t, 20*time.Second, "the stream stopped after its first pictures", func() bool {
				return s.Frames().Published() > published+5
			})
			if st := s.Status(); st.Corrupt != 0 {
				t.Errorf("%d corrupt access units in a clean stream", st.Corrupt)
			}
		})
	}
}
