package storage

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/camwall/camwall/decoder/annexb"
	"github.com/camwall/camwall/player/playtest"
)

// clip is the small test clip (playtest.SmallH264), 30 H.264 frames at
// 320x240, cut into access units at its access unit delimiters.
func clip(t *testing.T) (aus [][]byte, keys []bool) {
	t.Helper()
	for _, n := range annexb.Split(playtest.SmallH264()) {
		if n[0]&0x1f == 9 || len(aus) == 0 {
			aus, keys = append(aus, nil), append(keys, false)
		}
		i := len(aus) - 1
		aus[i] = append(append(aus[i], 0, 0, 0, 1), n...)
		if n[0]&0x1f == 5 {
			keys[i] = true
		}
	}
	return aus, keys
}

func TestSegmentWritesAFileFFprobeReads(t *testing.T) {
	if _, err := exec.LookPath("ffprobe"); err != nil {
		t.Skip("ffprobe not installed")
	}
	aus, keys := clip(t)
	path := filepath.Join(t.TempDir(), "a", "b.mp4")
	seg, err := CreateSegment(path, RecordH264, aus[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	if seg.Width != 320 || seg.Height != 240 {
		t.Errorf("size %dx%d, want 320x240", seg.Width, seg.Height)
	}
	// Timestamps as the RTP clock gives them: far from zero, 3000 apart.
	for i, au := range aus {
		if err := seg.Write(au, 1_000_000+int64(i)*3000, 1_000_000+int64(i)*3000, keys[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := seg.Close(); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ffprobe", "-v", "error", "-count_frames", "-show_entries",
		"stream=codec_name,width,height,nb_read_frames,start_time", "-of", "compact=p=0", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ffprobe: %v\n%s", err, out)
	}
	if got, want := strings.TrimSpace(string(out)), "codec_name=h264|width=320|height=240|start_time=0.000000|nb_read_frames=30"; got != want {
		t.Errorf("ffprobe says\n%s\nwant\n%s", got, want)
	}
}

func TestSegmentRefusesWhatCannotStartAFile(t *testing.T) {
	aus, _ := clip(t)
	tests := []struct {
		name  string
		codec RecordCodec
		au    []byte
		want  error
	}{
		{"a P-frame", RecordH264, aus[1], ErrNeedKeyframe},
		{"an MJPEG file given something that is not a JPEG", RecordMJPEG, aus[0], ErrNeedKeyframe},
		{"a codec camwall does not record", RecordCodec("vp8"), aus[0], ErrRecordCodec},
		{"nothing", RecordH264, nil, ErrNeedKeyframe},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.mp4")
			if _, err := CreateSegment(path, tc.codec, tc.au, nil); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
			if _, err := os.Stat(path); err == nil {
				t.Error("a file was created")
			}
		})
	}
}

func TestSegmentSeesNewParameterSets(t *testing.T) {
	aus, _ := clip(t)
	seg, err := CreateSegment(filepath.Join(t.TempDir(), "x.mp4"), RecordH264, aus[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	defer seg.Close()
	changed := bytes.Clone(aus[0])
	// The PPS's last byte: still parses, but is another parameter set.
	pps := bytes.Index(changed, []byte{0, 0, 0, 1, 0x68})
	end := bytes.Index(changed[pps+4:], []byte{0, 0, 1}) + pps + 4
	changed[end-2] ^= 0x10
	tests := []struct {
		name string
		au   []byte
		same bool
	}{
		{"the same keyframe", aus[0], true},
		{"a P-frame without sets", aus[1], true},
		{"another PPS", changed, false},
	}
	for _, tc := range tests {
		if got := seg.SameParams(tc.au); got != tc.same {
			t.Errorf("%s: SameParams = %v, want %v", tc.name, got, tc.same)
		}
	}
}

func TestRecordingPathIsSanitisedAndNeverOverwrites(t *testing.T) {
	aus, _ := clip(t)
	dir := t.TempDir()
	at := time.Date(2026, 11, 22, 23, 0, 0, 0, time.UTC)
	create := func() string {
		seg, err := CreateRecording(dir, "Front/Door", at, RecordH264, aus[0], nil, false)
		if err != nil {
			t.Fatal(err)
		}
		if err := seg.Close(); err != nil {
			t.Fatal(err)
		}
		return seg.Path()
	}
	p := create()
	if want := filepath.Join(dir, "Front_Door", "Front_Door_20261122T230000.000Z.mp4"); p != want {
		t.Fatalf("path %s, want %s", p, want)
	}
	if p2 := create(); p2 != strings.TrimSuffix(p, ".mp4")+"_2.mp4" {
		t.Errorf("taken name gave %s", p2)
	}
}

// A stream whose decoding times start below zero, as FFmpeg's MP4
// demuxer gives a file with B-frames, records like any other.
func TestSegmentTakesNegativeDecodingTimes(t *testing.T) {
	if _, err := exec.LookPath("ffprobe"); err != nil {
		t.Skip("ffprobe not installed")
	}
	aus, keys := clip(t)
	path := filepath.Join(t.TempDir(), "neg.mp4")
	seg, err := CreateSegment(path, RecordH264, aus[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, au := range aus {
		ts := -12000 + int64(i)*3000
		if err := seg.Write(au, ts, ts, keys[i]); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
	}
	if err := seg.Close(); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ffprobe", "-v", "error", "-count_frames", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "30" {
		t.Errorf("ffprobe: %s %v, want 30 frames", out, err)
	}
}
