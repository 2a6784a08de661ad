package main

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
)

// `camwall record` is run as a script runs it: the built binary, headless,
// with the demo server as the camera, stopped by a signal or --duration.
func TestRecordCommandWritesPlayableFilesAndStopsCleanly(t *testing.T) {
	playtest.NeedFFprobe(t)
	bin := camwallBinary(t)
	srv := playtest.StartDemo(t, 1)
	// A password the demo server ignores, that must show nowhere.
	camURL := strings.Replace(srv.URL(1), "rtsp://", "rtsp://user:s3cret@", 1)

	tests := []struct {
		name    string
		args    []string
		signal  syscall.Signal // sent after 3 s; 0: --duration ends it
		minDur  float64
		footage float64 // when set, the recording's exact length, ±0.1 s (3 frames)
	}{
		{name: "SIGINT", args: []string{"--segment", "5m"}, signal: syscall.SIGINT, minDur: 2},
		{name: "SIGTERM", args: []string{"--segment", "5m"}, signal: syscall.SIGTERM, minDur: 2},
		{name: "duration is footage", args: []string{"--duration", "10s"}, minDur: 9.9, footage: 10},
		// The folder from the configuration's recording section.
		{name: "configured camera", args: []string{"--camera", "front/door", "--duration", "3s"}, minDur: 1.5, footage: 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			args := append([]string{"record", "--config", filepath.Join(out, "none.yaml"), "--out", out, "--url", camURL}, tc.args...)
			if tc.args[0] == "--camera" {
				config := filepath.Join(t.TempDir(), "config.yaml")
				if err := os.WriteFile(config, []byte("cameras:\n  - {name: 'Front/Door', url: '"+camURL+"'}\n"+
					"recording:\n  dir: '"+out+"'\n"), 0o600); err != nil {
					t.Fatal(err)
				}
				args = append([]string{"record", "--config", config}, tc.args...)
			}
			cmd := exec.Command(bin, args...)
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			rec := playtest.Start(t, cmd)
			if tc.signal != 0 {
				time.Sleep(3 * time.Second)
				if err := rec.Signal(tc.signal); err != nil {
					t.Fatal(err)
				}
			}
			select {
			case <-rec.Done():
				if err := rec.Err(); err != nil {
					t.Fatalf("camwall record: %v\n%s", err, stderr.String())
				}
			case <-time.After(60 * time.Second):
				rec.Kill()
				t.Fatal("camwall record did not stop")
			}
			files := strings.Fields(stdout.String())
			if len(files) != 1 || !strings.HasPrefix(files[0], out+string(filepath.Separator)) || filepath.Ext(files[0]) != ".mp4" {
				t.Fatalf("stdout %q, want one .mp4 path under %s", stdout.String(), out)
			}
			codec, _, _, dur := playtest.Probe(t, files[0])
			playtest.DecodesCleanly(t, files[0])
			if codec != "h264" || dur < tc.minDur || dur > max(3.5, tc.footage+0.1) {
				t.Errorf("%s: %s, %.2fs", files[0], codec, dur)
			}
			if tc.footage > 0 && math.Abs(dur-tc.footage) > 0.1 {
				t.Errorf("%s holds %.3fs of footage, want %.1f ± 0.1 s", files[0], dur, tc.footage)
			}
			if strings.Contains(stdout.String()+stderr.String(), "s3cret") {
				t.Errorf("the password shows:\n%s\n%s", stdout.String(), stderr.String())
			}
		})
	}
}

// `camwall record`'s flags are held to the rules of the configuration they
// stand in for: a segment of a millisecond would write a thousand files a
// second.
func TestRecordCommandRefusesASegmentTheConfigurationWouldRefuse(t *testing.T) {
	bin := camwallBinary(t)
	for _, seg := range []string{"1ms", "-5s", "25h"} {
		t.Run(seg, func(t *testing.T) {
			out := t.TempDir()
			_, stderr, code := runCamwall(t, bin, "record", "--config", filepath.Join(out, "none.yaml"), "--out", out,
				"--url", "rtsp://127.0.0.1:1/x", "--segment", seg)
			if code == 0 || !strings.Contains(stderr, "segment must be a duration from 10s to 24h") {
				t.Errorf("exit %d, stderr %q; want a refusal naming the segment's range", code, stderr)
			}
			if files, _ := filepath.Glob(filepath.Join(out, "*", "*")); len(files) != 0 {
				t.Errorf("files written: %v", files)
			}
		})
	}
}
