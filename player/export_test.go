package player

import (
	"context"

	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/rtspserver"
	"github.com/camwall/camwall/player/source/rtsp"
	"github.com/camwall/camwall/storage"
)

// recordSegments records a camera with B-frames and AAC audio, published by
// Debian's ffmpeg, in segments of 2 s, for about 7 s.
func recordSegments(t *testing.T) (dir, camera string, recs []storage.Recorded) {
	t.Helper()
	playtest.NeedFFprobe(t)
	srv := playtest.StartServer(t, &rtspserver.Server{})
	runFFmpeg(t, "-re", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=15", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
		"-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "15", "-pix_fmt", "yuv420p",
		"-c:a", "aac", "-ar", "48000", "-ac", "1", "-f", "rtsp", "-rtsp_transport", "tcp", srv.URL("cam"))
	if err := srv.WaitPublisher("cam", 15*time.Second); err != nil {
		t.Fatal(err)
	}
	camera = "Yard cam"
	s := play(t, Config{Name: camera, URL: srv.URL("cam"), Transport: rtsp.TransportTCP})
	playtest.WaitFor(t, 20*time.Second, "never live", func() bool { return s.Frames().Published() > 0 && s.Status().Audio != "" })
	dir = t.TempDir()
	if err := s.StartRecording(RecordOptions{Dir: dir, Segment: 2 * time.Second}); err != nil {
		t.Fatal(err)
	}
	files, _ := recordFor(t, s, 7*time.Second)
	if len(files) < 3 {
		t.Fatalf("%d files recorded, want at least 3 segments", len(files))
	}
	recs, skipped, err := storage.Recordings(dir, camera)
	if err != nil || len(skipped) > 0 || len(recs) != len(files) {
		t.Fatalf("recordings %v, skipped %v, %v; wrote %v", recs, skipped, err, files)
	}
	return dir, camera, recs
}

// clipFacts is what ffprobe says of a clip: its duration, streams, whether
// each stream's DTS only grows, whether it starts on a keyframe.
type clipFacts struct {
	duration     float64
	streams      string
	monotonic    bool
	startsOnKey  bool
	decodeErrors string
}

func probeClip(t *testing.T, path string) clipFacts {
	t.Helper()
	var f clipFacts
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "format=duration:stream=codec_name", "-of", "default=nw=1", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ffprobe %s: %v\n%s", path, err, out)
	}
	var codecs []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if v, ok := strings.CutPrefix(l, "codec_name="); ok {
			codecs = append(codecs, v)
		} else if v, ok := strings.CutPrefix(l, "duration="); ok {
			f.duration, _ = strconv.ParseFloat(v, 64)
		}
	}
	f.streams = strings.Join(codecs, ",")
	out, err = exec.Command("ffprobe", "-v", "error", "-show_entries", "packet=stream_index,dts,flags", "-of", "csv=p=0", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ffprobe packets: %v\n%s", err, out)
	}
	last := map[string]int64{}
	f.monotonic = true
	for i, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		p := strings.Split(l, ",")
		if len(p) < 3 {
			continue
		}
		dts, err := strconv.ParseInt(p[1], 10, 64)
		if err != nil {
			f.monotonic = false
			continue
		}
		if prev, ok := last[p[0]]; ok && dts <= prev {
			f.monotonic = false
		}
		last[p[0]] = dts
		if i == 0 || p[0] == "0" && len(last) == 1 && f.startsOnKey == false && i < 3 {
			f.startsOnKey = f.startsOnKey || p[0] == "0" && strings.HasPrefix(p[2], "K")
		}
	}
	dec, _ := exec.Command("ffmpeg", "-v", "error", "-i", path, "-f", "null", "-").CombinedOutput()
	f.decodeErrors = strings.TrimSpace(string(dec))
	return f
}

func TestExportJoinsRecordingsIntoOneClip(t *testing.T) {
	dir, camera, recs := recordSegments(t)
	at := func(i int, d time.Duration) time.Time { return recs[i].Start.Add(d) }
	// The clip may start up to a GOP (-g 15 at 15 fps) before From, and its
	// keyframe is shown two frames after it is decoded (-bf 2).
	const early = 1.0 + 2.0/15
	tests := []struct {
		name     string
		from, to time.Time
		// want is the clip's length the span asks for; the clip may start
		// up to a GOP earlier (at the keyframe before From).
		want  float64
		files int
	}{
		{"within one recording", at(1, 300*time.Millisecond), at(1, 1300*time.Millisecond), 1.0, 1},
		{"across two recordings", at(0, time.Second), at(1, time.Second), recs[1].Start.Sub(recs[0].Start).Seconds(), 2},
		{"across three recordings", at(0, 500*time.Millisecond), at(2, time.Second), at(2, time.Second).Sub(at(0, 500*time.Millisecond)).Seconds(), 3},
		{"from before the first recording starts at it", at(0, -time.Hour), at(0, 1500*time.Millisecond), 1.5, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "clip.mp4")
			res, err := storage.Export(context.Background(), storage.ExportConfig{Dir: dir, Camera: camera, From: tc.from, To: tc.to, Out: out})
			if err != nil {
				t.Fatal(err)
			}
			if res.Files != tc.files || !res.Audio || res.Path != out {
				t.Errorf("result %+v, want %d files with audio", res, tc.files)
			}
			f := probeClip(t, out)
			t.Logf("asked %s to %s; clip %s to %s (%d files, length %v, gaps %v), ffprobe %.3f s",
				tc.from.Format("15:04:05.000"), tc.to.Format("15:04:05.000"), res.Start.Format("15:04:05.000"), res.End.Format("15:04:05.000"),
				res.Files, res.Length, res.Gaps, f.duration)
			// Recordings are joined without their gaps, which are tens of
			// milliseconds at a segment change.
			if f.duration < tc.want-0.15 || f.duration > tc.want+early+0.15 {
				t.Errorf("clip lasts %.3f s, want %.2f s (+ up to a GOP)", f.duration, tc.want)
			}
			if f.streams != "h264,aac" || !f.monotonic || !f.startsOnKey || f.decodeErrors != "" {
				t.Errorf("ffprobe: %+v", f)
			}
		})
	}
}

func TestExportRefusesWhatItCannotDoAndLeavesNothing(t *testing.T) {
	dir, camera, recs := recordSegments(t)
	from, to := recs[0].Start.Add(500*time.Millisecond), recs[1].Start.Add(time.Second)
	existing := filepath.Join(t.TempDir(), "taken.mp4")
	if err := os.WriteFile(existing, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name     string
		ctx      context.Context
		from, to time.Time
		out      string
		want     string
	}{
		{"nothing recorded then", context.Background(), from.Add(-48 * time.Hour), from.Add(-47 * time.Hour), "", "nothing recorded then: camera \"Yard cam\" has recordings "},
		{"start after end", context.Background(), to, from, "", "must be before its end"},
		{"an existing file is not replaced", context.Background(), from, to, existing, "exists: camwall does not replace a file"},
		{"a cancelled export leaves no file", cancelled, from, to, "", "context canceled"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			folder := t.TempDir()
			out := tc.out
			if out == "" {
				out = filepath.Join(folder, "clip.mp4")
			}
			_, err := storage.Export(tc.ctx, storage.ExportConfig{Dir: dir, Camera: camera, From: tc.from, To: tc.to, Out: out})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if tc.out == "" {
				if left, _ := os.ReadDir(folder); len(left) != 0 {
					t.Errorf("left %v behind", left)
				}
			} else if b, _ := os.ReadFile(tc.out); string(b) != "mine" {
				t.Error("the existing file was changed")
			}
		})
	}
	t.Run("a corrupt recording is skipped and said", func(t *testing.T) {
		if err := os.Truncate(recs[1].Path, 200); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "clip.mp4")
		res, err := storage.Export(context.Background(), storage.ExportConfig{Dir: dir, Camera: camera,
			From: recs[0].Start.Add(500 * time.Millisecond), To: recs[2].Start.Add(time.Second), Out: out})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0], filepath.Base(recs[1].Path)) || len(res.Gaps) != 1 || res.Files != 2 {
			t.Errorf("result %+v: want the corrupt file skipped, a gap where it was, two files joined", res)
		}
		if f := probeClip(t, out); !f.monotonic || f.decodeErrors != "" {
			t.Errorf("ffprobe: %+v", f)
		}
	})
}
