package playtest

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// NeedFFprobe skips the test where ffprobe or ffmpeg, the judges of a
// recorded file, is not installed.
func NeedFFprobe(t testing.TB) {
	t.Helper()
	for _, tool := range []string{"ffprobe", "ffmpeg"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skip(tool + " not installed")
		}
	}
}

// Probe asks ffprobe, an independent judge, what a file holds: its video's
// codec and size, and its duration in seconds.
func Probe(t testing.TB, path string) (codec string, w, h int, dur float64) {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height",
		"-show_entries", "format=duration", "-of", "default=noprint_wrappers=1", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ffprobe %s: %v\n%s", path, err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		k, v, _ := strings.Cut(line, "=")
		switch k {
		case "codec_name":
			codec = v
		case "width":
			w, _ = strconv.Atoi(v)
		case "height":
			h, _ = strconv.Atoi(v)
		case "duration":
			dur, _ = strconv.ParseFloat(v, 64)
		}
	}
	return codec, w, h, dur
}

// AudioCodec asks ffprobe the codec of a file's first audio stream; empty:
// it has none.
func AudioCodec(t testing.TB, path string) string {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries", "stream=codec_name",
		"-of", "default=noprint_wrappers=1:nokey=1", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ffprobe %s: %v\n%s", path, err, out)
	}
	return strings.TrimSpace(string(out))
}

// DecodesCleanly has ffmpeg decode the whole file, and fails the test (and
// goes on) if it reports any error.
func DecodesCleanly(t testing.TB, path string) {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-v", "error", "-i", path, "-f", "null", "-").CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("ffmpeg decoding %s: %v\n%s", path, err, out)
	}
}
