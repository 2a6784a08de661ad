package playtest

import (
	"bytes"
	_ "embed" // the small clip
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/camwall/camwall/assets"
)

// smallH264 is made by scripts/make-test-clips.sh.
//
//go:embed testdata/small-320x240.h264
var smallH264 []byte

// SmallH264 is a 320x240 H.264 clip (4:3, unlike the 16:9 demo clip) as an
// Annex B byte stream: 30 frames, 1 s at 30 fps, H.264 Main, no B-frames, an
// IDR every 15 frames, an access unit delimiter before each frame and
// SPS/PPS before each IDR, and a solid blue square at (112,72)-(208,168)
// that never moves. scripts/make-test-clips.sh made it.
func SmallH264() []byte { return bytes.Clone(smallH264) }

// SmallClip is SmallH264 as access units of NAL units, in decoding order.
func SmallClip(t testing.TB) [][][]byte {
	t.Helper()
	aus, err := assets.AccessUnits(smallH264)
	if err != nil {
		t.Fatal(err)
	}
	return aus
}

// NoisyClip is two seconds of testsrc2 at 640x360, 30 fps, made by Debian's
// ffmpeg: H.264 with the deblocking filter on and fine detail it changes,
// an IDR every 30 frames, no B-frames, an access unit delimiter before each
// frame; as access units of NAL units, in decoding order.
func NoisyClip(t testing.TB) [][][]byte {
	t.Helper()
	p := FFmpegFile(t, "noisy.h264", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
		"-frames:v", "60", "-c:v", "libx264", "-preset", "veryfast", "-crf", "32", "-bf", "0",
		"-x264-params", "keyint=30:min-keyint=30:scenecut=0:aud=1", "-f", "h264")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	aus, err := assets.AccessUnits(b)
	if err != nil {
		t.Fatal(err)
	}
	return aus
}

// DemoFile writes the embedded demo clip (raw H.264, assets.DemoH264) to a
// file in a temporary folder and returns its path.
func DemoFile(t testing.TB) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "demo.h264")
	if err := os.WriteFile(p, assets.DemoH264, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// FFmpeg returns Debian's ffmpeg CLI, the tests' independent peer and the
// maker of their inputs: it has the encoders (libx264, libx265, mpeg4, aac)
// that camwall's own FFmpeg leaves out. The test is skipped where there is no
// ffmpeg on PATH.
func FFmpeg(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Skip("no ffmpeg on PATH: Debian's ffmpeg (libx264, libx265) makes these tests' inputs and is their independent peer")
	}
	return bin
}

// FFmpegFile runs Debian's ffmpeg to completion with args, writing name
// into a temporary folder, and returns the file's path.
func FFmpegFile(t testing.TB, name string, args ...string) string {
	t.Helper()
	bin := FFmpeg(t)
	out := filepath.Join(t.TempDir(), name)
	args = append(append([]string{"-hide_banner", "-loglevel", "error", "-nostdin", "-y"}, args...), out)
	if b, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg %s: %v\n%s", strings.Join(args, " "), err, b)
	}
	return out
}
