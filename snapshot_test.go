package main

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/camwall/camwall/player/playtest"
)

// `camwall snapshot` is run as a cron job runs it: the built binary,
// headless, with the demo server as three cameras.
func TestSnapshotCommand(t *testing.T) {
	bin := camwallBinary(t)
	srv := playtest.StartDemo(t, 3)
	noConfig := filepath.Join(t.TempDir(), "none.yaml")
	// Names made from the URL, sanitised: host_port_path.
	urlName := func(i int) string {
		return strings.NewReplacer(":", "_", "/", "_").Replace(srv.Address()) + "_demo_" + string(rune('0'+i))
	}
	stamp := `_\d{8}T\d{6}\.\d{3}Z`

	config := filepath.Join(t.TempDir(), "config.yaml")
	writeFile(t, config, "cameras:\n"+
		"  - {name: 'Front/Door', url: '"+srv.URL(1)+"'}\n"+
		"  - {name: 'CON', url: '"+srv.URL(2)+"'}\n"+
		"snapshots:\n  pattern: '{timestamp}_{camera}'\n  format: png\n")

	tests := []struct {
		name     string
		args     []string
		exitCode int
		files    []string // patterns of the paths written, relative to --out, in order
		stderr   []string // fragments expected on stderr
	}{
		{"three cameras by URL", []string{"--config", noConfig, "--url", srv.URL(1), "--url", srv.URL(2), "--url", srv.URL(3)}, 0,
			[]string{urlName(1) + "/" + urlName(1) + stamp + `\.jpg`, urlName(2) + "/" + urlName(2) + stamp + `\.jpg`, urlName(3) + "/" + urlName(3) + stamp + `\.jpg`}, nil},
		{"a failing camera is named, the others are written, no password anywhere",
			[]string{"--config", noConfig, "--timeout", "3s", "--url", srv.URL(1), "--url", "rtsp://admin:s3cret@127.0.0.1:1/x", "--url", srv.URL(3)}, 1,
			[]string{urlName(1) + "/.*", urlName(3) + "/.*"},
			[]string{`camera "127.0.0.1:1/x": camera is not live (reconnecting: connection refused`, "1 of 3 cameras failed"}},
		{"configured cameras with the configuration's pattern and format", []string{"--config", config, "--camera", "front/door", "--camera", "CON"}, 0,
			[]string{stamp[1:] + `_Front_Door\.png`, stamp[1:] + `__CON\.png`}, nil},
		{"all configured cameras", []string{"--config", config, "--all"}, 0, []string{".*Front_Door\\.png", ".*_CON\\.png"}, nil},
		{"unknown camera name", []string{"--config", config, "--camera", "garage"}, 2, nil, []string{`no camera named "garage"`}},
		{"no camera is a usage error", []string{"--config", noConfig}, 2, nil, []string{"usage: camwall snapshot"}},
		{"--all with --camera is a usage error", []string{"--config", config, "--all", "--camera", "CON"}, 2, nil, []string{"usage: camwall snapshot"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			stdout, stderr, code := runCamwall(t, bin, append([]string{"snapshot", "--out", out}, tc.args...)...)
			if code != tc.exitCode {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.exitCode, stdout, stderr)
			}
			for _, want := range tc.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
			var printed []string
			if s := strings.TrimSpace(stdout); s != "" {
				printed = strings.Split(s, "\n")
			}
			if len(printed) != len(tc.files) {
				t.Fatalf("%d paths printed, want %d:\n%s\nstderr:\n%s", len(printed), len(tc.files), stdout, stderr)
			}
			for i, path := range printed {
				rel, err := filepath.Rel(out, path)
				if err != nil || !filepath.IsLocal(rel) {
					t.Errorf("%s is not inside --out %s", path, out)
					continue
				}
				if !regexp.MustCompile("^" + tc.files[i] + "$").MatchString(filepath.ToSlash(rel)) {
					t.Errorf("wrote %s, want a path matching %s", rel, tc.files[i])
				}
				checkSnapshot(t, path)
			}
			all := stdout + stderr
			filepath.WalkDir(out, func(path string, _ os.DirEntry, _ error) error {
				all += path + "\n"
				return nil
			})
			if strings.Contains(all, "s3cret") {
				t.Errorf("the password shows in the output or a file name:\n%s", all)
			}
		})
	}
}

func TestSnapshotCommandOutputFolderIsRelativeToTheWorkingFolder(t *testing.T) {
	bin := camwallBinary(t)
	srv := playtest.StartDemo(t, 1)
	work := t.TempDir()
	cmd := exec.Command(bin, "snapshot", "--config", filepath.Join(work, "none.yaml"), "--out", "snaps", "--url", srv.URL(1))
	cmd.Dir = work
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	path := strings.TrimSpace(string(stdout))
	if !filepath.IsAbs(path) {
		t.Errorf("printed %q, want an absolute path", path)
	}
	if _, err := os.Stat(filepath.Join(work, "snaps", filepath.Base(filepath.Dir(path)), filepath.Base(path))); err != nil {
		t.Errorf("the snapshot is not in snaps/ of the working folder: %v", err)
	}
	checkSnapshot(t, path)
}

// checkSnapshot asserts that path is a complete image at the demo's full
// 640x360, not a tile's size.
func checkSnapshot(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	decode := jpeg.Decode
	if strings.HasSuffix(path, ".png") {
		decode = png.Decode
	}
	img, err := decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if img.Bounds() != image.Rect(0, 0, 640, 360) {
		t.Errorf("%s is %v, want the source's 640x360", path, img.Bounds())
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
