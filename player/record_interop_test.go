package player

import (
	"strings"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
)

// Streams from a real encoder (the ffmpeg CLI, as in interop_test.go):
// H.265 is recorded into MP4, MJPEG into Matroska.
func TestRecordingFFmpegPublishedStreams(t *testing.T) {
	playtest.NeedFFprobe(t)
	tests := []struct {
		name    string
		encoder []string
		codec   string // what ffprobe must find; "" when not recorded
		err     string // in Status.RecordError
	}{
		{"H.265 from libx265", []string{"-c:v", "libx265", "-preset", "ultrafast", "-bf", "0", "-g", "15", "-pix_fmt", "yuv420p",
			"-x265-params", "log-level=error"}, "hevc", ""},
		{"MJPEG", []string{"-c:v", "mjpeg", "-pix_fmt", "yuvj420p", "-q:v", "5", "-huffman", "default"}, "mjpeg", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := playPublished(t, tc.encoder...)
			if err := s.StartRecording(RecordOptions{Dir: t.TempDir()}); err != nil {
				t.Fatal(err)
			}
			if tc.err != "" {
				playtest.WaitFor(t, 20*time.Second, "no recording error", func() bool { return s.Status().RecordError != "" })
				if st := s.Status(); !strings.Contains(st.RecordError, tc.err) || st.State != StateLive {
					t.Errorf("status %s, record error %q; want live, %q", st.State, st.RecordError, tc.err)
				}
				if files := s.StopRecording(); len(files) != 0 {
					t.Errorf("files %v written", files)
				}
				return
			}
			playtest.WaitFor(t, 20*time.Second, "no recording file", func() bool { return s.Status().RecordFile != "" })
			time.Sleep(2 * time.Second)
			files := s.StopRecording()
			if len(files) != 1 {
				t.Fatalf("files = %v, want one", files)
			}
			codec, w, h, dur := playtest.Probe(t, files[0])
			if codec != tc.codec || w != 320 || h != 240 || dur < 1 || dur > 3 {
				t.Errorf("ffprobe: %s %dx%d %.2fs, want %s 320x240 about 2s", codec, w, h, dur, tc.codec)
			}
			playtest.DecodesCleanly(t, files[0])
		})
	}
}
