package player

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/rtspserver"
	"github.com/camwall/camwall/player/source/rtsp"
)

// streamStarts lists a file's streams as ffprobe reads them: codec type
// and name, and start time in seconds.
func streamStarts(t *testing.T, path string) map[string]struct {
	codec string
	start float64
} {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name,start_time",
		"-of", "csv=p=0", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ffprobe %s: %v\n%s", path, err, out)
	}
	streams := map[string]struct {
		codec string
		start float64
	}{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(strings.TrimSpace(line), ",")
		if len(f) < 3 {
			continue
		}
		start, _ := strconv.ParseFloat(f[2], 64)
		streams[f[1]] = struct {
			codec string
			start float64
		}{f[0], start}
	}
	return streams
}

// A camera's audio is recorded with its video, in sync, in the container
// that plays everywhere for it: MP4 for AAC and Opus, Matroska for G.711.
func TestRecordingKeepsTheCamerasAudio(t *testing.T) {
	playtest.NeedFFprobe(t)
	tests := []struct {
		name, audio string // ffmpeg's encoder arguments, and ffprobe's codec name
		encoder     []string
		ext         string
	}{
		{"AAC", "aac", []string{"-c:a", "aac", "-ar", "48000", "-ac", "1"}, ".mp4"},
		{"Opus", "opus", []string{"-c:a", "libopus", "-ar", "48000", "-ac", "2"}, ".mp4"},
		{"G.711 A-law", "pcm_alaw", []string{"-c:a", "pcm_alaw", "-ar", "8000", "-ac", "1"}, ".mkv"},
		{"G.711 µ-law", "pcm_mulaw", []string{"-c:a", "pcm_mulaw", "-ar", "8000", "-ac", "1"}, ".mkv"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := playtest.StartServer(t, &rtspserver.Server{})
			args := []string{"-re", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=15", "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
				"-c:v", "libx264", "-preset", "ultrafast", "-bf", "0", "-g", "15", "-pix_fmt", "yuv420p"}
			args = append(append(args, tc.encoder...), "-f", "rtsp", "-rtsp_transport", "tcp", srv.URL("cam"))
			runFFmpeg(t, args...)
			if err := srv.WaitPublisher("cam", 15*time.Second); err != nil {
				t.Fatal(err)
			}
			s := play(t, Config{Name: "with audio", URL: srv.URL("cam"), Transport: rtsp.TransportTCP})
			playtest.WaitFor(t, 10*time.Second, "no frame published", func() bool { return s.Frames().Published() > 0 })
			if st := s.Status(); st.Audio != tc.audio {
				t.Errorf("status audio %q, want %q", st.Audio, tc.audio)
			}
			if err := s.StartRecording(RecordOptions{Dir: t.TempDir()}); err != nil {
				t.Fatal(err)
			}
			checkAudioRecording(t, s, tc.ext, tc.audio)
		})
	}
}

// Any FFmpeg input keeps its audio too: an MPEG-TS file or UDP feed with
// ADTS AAC (what encoders and GoPros send), and Matroska with G.711.
func TestRecordingKeepsTheAudioOfDemuxedInputs(t *testing.T) {
	playtest.NeedFFprobe(t)
	video := []string{"-f", "lavfi", "-i", "testsrc2=s=320x240:r=15", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
		"-c:v", "libx264", "-preset", "ultrafast", "-bf", "0", "-g", "15", "-pix_fmt", "yuv420p"}
	tests := []struct {
		name, audio, ext string
		camera           func(t *testing.T) string
	}{
		{"AAC in an MPEG-TS file", "aac", ".mp4", func(t *testing.T) string {
			return "file://" + playtest.FFmpegFile(t, "aac.ts", append(video, "-t", "6", "-c:a", "aac", "-ac", "1")...)
		}},
		{"G.711 in a Matroska file", "pcm_alaw", ".mkv", func(t *testing.T) string {
			return "file://" + playtest.FFmpegFile(t, "alaw.mkv", append(video, "-t", "6", "-c:a", "pcm_alaw", "-ar", "8000", "-ac", "1")...)
		}},
		{"AAC in live MPEG-TS over UDP", "aac", ".mp4", func(t *testing.T) string {
			port := playtest.FreeUDPPort(t)
			args := append([]string{"-re"}, video[:4]...)
			args = append(append(append(args, "-re"), video[4:]...), "-c:a", "aac", "-ac", "1", "-f", "mpegts",
				"udp://127.0.0.1:"+strconv.Itoa(port)+"?pkt_size=1316")
			runFFmpeg(t, args...)
			return "udp://127.0.0.1:" + strconv.Itoa(port)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := play(t, Config{Name: "with audio", URL: tc.camera(t)})
			playtest.WaitFor(t, 15*time.Second, "no frame published", func() bool { return s.Frames().Published() > 0 })
			playtest.WaitFor(t, 20*time.Second, "no audio", func() bool { return s.Status().Audio == tc.audio })
			if err := s.StartRecording(RecordOptions{Dir: t.TempDir()}); err != nil {
				t.Fatal(err)
			}
			checkAudioRecording(t, s, tc.ext, tc.audio)
		})
	}
}

// checkAudioRecording records s for 3 s and has ffprobe judge the first
// file: the container ext, H.264 video and audio in codec, starting within
// 0.1 s of each other, and a clean decode.
func checkAudioRecording(t *testing.T, s *Session, ext, codec string) {
	t.Helper()
	files, _ := recordFor(t, s, 3*time.Second)
	if len(files) == 0 || !strings.HasSuffix(files[0], ext) {
		t.Fatalf("files %v, want %s", files, ext)
	}
	streams := streamStarts(t, files[0])
	t.Logf("%s: %+v", files[0], streams)
	v, a := streams["video"], streams["audio"]
	if v.codec != "h264" || a.codec != codec {
		t.Fatalf("streams %+v, want h264 video and %s audio", streams, codec)
	}
	if d := a.start - v.start; d > 0.1 || d < -0.1 {
		t.Errorf("audio starts %.3f s after the video, want within 0.1 s", d)
	}
	playtest.DecodesCleanly(t, files[0])
}
