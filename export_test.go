package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/storage"
)

// What the binary recorded in segments, the binary exports as one clip
// across their boundary; ffprobe judges it.
func TestExportCommandCutsAClipAcrossRecordings(t *testing.T) {
	playtest.NeedFFprobe(t)
	bin := camwallBinary(t)
	srv := playtest.StartDemo(t, 1)
	dir := t.TempDir()
	config := filepath.Join(dir, "none.yaml")
	stdout, stderr, code := runCamwall(t, bin, "record", "--url", srv.URL(1), "--segment", "10s", "--duration", "12s",
		"--out", dir, "--config", config)
	if code != 0 || len(strings.Fields(stdout)) != 2 {
		t.Fatalf("record: exit %d, files %q\n%s", code, stdout, stderr)
	}
	// The folder is named for the camera: the URL's host and path.
	folder := filepath.Base(filepath.Dir(strings.Fields(stdout)[0]))
	recs, skipped, err := storage.Recordings(dir, folder)
	if err != nil || len(recs) != 2 || len(skipped) > 0 {
		t.Fatalf("recordings %+v %v %v", recs, skipped, err)
	}
	from, to := recs[0].Start.Add(8*time.Second), recs[1].Start.Add(time.Second)
	out := filepath.Join(t.TempDir(), "clip.mp4")
	stdout, stderr, code = runCamwall(t, bin, "export", "--camera", folder, "--dir", dir, "--config", config,
		"--from", from.Format(time.RFC3339Nano), "--to", to.Format(time.RFC3339Nano), "--out", out)
	if code != 0 || !strings.HasPrefix(stdout, out+"\n") || !strings.Contains(stdout, "from 2 recording(s)") {
		t.Fatalf("export: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	codec, w, h, dur := playtest.Probe(t, out)
	playtest.DecodesCleanly(t, out)
	// From 8 s into a file whose keyframes come every second, to 1 s into
	// the next: 3 s, and up to a GOP more at the start.
	want := to.Sub(from).Seconds()
	if codec != "h264" || w != 640 || h != 360 || dur < want-0.15 || dur > want+1.15 {
		t.Errorf("clip: %s %dx%d %.3f s, want h264 640x360 %.2f s (+ up to a GOP)", codec, w, h, dur, want)
	}
	// A second export to the same file is refused, and the clip stays.
	_, stderr, code = runCamwall(t, bin, "export", "--camera", folder, "--dir", dir, "--config", config,
		"--from", from.Format(time.RFC3339), "--to", to.Format(time.RFC3339), "--out", out)
	if code != 1 || !strings.Contains(stderr, "exists: camwall does not replace a file") {
		t.Errorf("second export: exit %d\n%s", code, stderr)
	}
}
