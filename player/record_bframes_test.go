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

// packetTimes lists the video packets of a file as ffprobe reads them, in
// file (decoding) order.
func packetTimes(t *testing.T, path string) (pts, dts []int64) {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts,dts",
		"-of", "csv=p=0", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ffprobe %s: %v\n%s", path, err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		p, d, _ := strings.Cut(strings.TrimSpace(line), ",")
		pv, err1 := strconv.ParseInt(p, 10, 64)
		dv, err2 := strconv.ParseInt(d, 10, 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("ffprobe packet line %q", line)
		}
		pts, dts = append(pts, pv), append(dts, dv)
	}
	return pts, dts
}

// checkReordered fails unless the file keeps a B-frame stream's decoding
// order: decoding times strictly increasing, presentation times ahead of
// them on the reordered frames, and a decode without timestamp complaints.
func checkReordered(t *testing.T, path string) {
	t.Helper()
	pts, dts := packetTimes(t, path)
	if len(pts) < 10 {
		t.Fatalf("%d packets in %s", len(pts), path)
	}
	reordered := 0
	for i := range pts {
		if i > 0 && dts[i] <= dts[i-1] {
			t.Fatalf("packet %d: dts %d after %d, not increasing", i, dts[i], dts[i-1])
		}
		if pts[i] < dts[i] {
			t.Fatalf("packet %d: pts %d before its dts %d", i, pts[i], dts[i])
		}
		if i > 0 && pts[i] < pts[i-1] {
			reordered++
		}
	}
	if reordered == 0 {
		t.Errorf("no packet is shown before the one decoded ahead of it: the B-frames lost their order (pts %v)", pts[:10])
	}
	out, err := exec.Command("ffmpeg", "-v", "warning", "-i", path, "-f", "null", "-").CombinedOutput()
	if err != nil || strings.Contains(string(out), "monoton") || strings.Contains(strings.ToLower(string(out)), "error") {
		t.Errorf("ffmpeg decoding %s: %v\n%s", path, err, out)
	}
}

// Streams with B-frames, as many encoders, NVRs and files send them, are
// recorded in decoding order with their composition offsets, and their
// tiles play without a corrupt frame.
func TestRecordingKeepsTheOrderOfBFrames(t *testing.T) {
	playtest.NeedFFprobe(t)
	encoders := map[string][]string{
		"H.264": {"-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "15", "-pix_fmt", "yuv420p"},
		"H.265": {"-c:v", "libx265", "-preset", "ultrafast", "-g", "15", "-pix_fmt", "yuv420p",
			"-x265-params", "bframes=2:b-adapt=0:log-level=error"},
	}
	tests := []struct {
		name    string
		codec   string
		through string // "rtsp" or "file"
	}{
		{"H.264 over RTSP", "H.264", "rtsp"},
		{"H.265 over RTSP", "H.265", "rtsp"},
		{"H.264 from a file", "H.264", "file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var cfg Config
			switch tc.through {
			case "rtsp":
				srv := playtest.StartServer(t, &rtspserver.Server{})
				publish(t, srv.URL("cam"), encoders[tc.codec]...)
				if err := srv.WaitPublisher("cam", 15*time.Second); err != nil {
					t.Fatal(err)
				}
				cfg = Config{Name: "bframes", URL: srv.URL("cam"), Transport: rtsp.TransportTCP}
			case "file":
				args := append([]string{"-f", "lavfi", "-i", "testsrc2=s=320x240:r=15:d=4"}, encoders[tc.codec]...)
				cfg = Config{Name: "bframes", URL: "file://" + playtest.FFmpegFile(t, "bframes.ts", args...)}
			}
			s := play(t, cfg)
			playtest.WaitFor(t, 10*time.Second, "no frame published", func() bool { return s.Frames().Published() > 0 })
			if err := s.StartRecording(RecordOptions{Dir: t.TempDir()}); err != nil {
				t.Fatal(err)
			}
			files, _ := recordFor(t, s, 2*time.Second)
			if len(files) == 0 {
				t.Fatal("no file recorded")
			}
			checkReordered(t, files[0])
			if st := s.Status(); st.Corrupt != 0 || st.State != StateLive {
				t.Errorf("tile %s with %d corrupt frames, want live with none", st.State, st.Corrupt)
			}
		})
	}
}
