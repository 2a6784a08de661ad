package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/camwall/camwall/app/cli"
)

// Under LANG=C.UTF-8, as cron, SSH and systemd run them, the headless
// sub-commands print their own output and nothing from Fyne, which the
// binary links for the wall (app/locale). `gopro discover` is not run: it
// would contact camera addresses; its --help stands in for it.
func TestHeadlessSubCommandsPrintNothingFromFyne(t *testing.T) {
	bin := camwallBinary(t)
	dir := t.TempDir()
	config := filepath.Join(dir, "none.yaml") // missing: an empty configuration
	closed := "rtsp://127.0.0.1:1/x"          // nothing listens on port 1
	type run struct {
		name    string
		command string // its name in cli's table; "" for the wall
		args    []string
		code    int
		stderr  string // a fragment that shows the command itself ran
	}
	tests := []run{
		{"probe of a closed port", "probe", []string{"probe", closed, "--seconds", "1", "--timeout", "1s"}, 1, "camwall probe: connection refused"},
		{"probe --help", "probe", []string{"probe", "--help"}, 2, "usage: camwall probe"},
		{"snapshot of a closed port", "snapshot", []string{"snapshot", "--url", closed, "--timeout", "1s", "--out", dir, "--config", config}, 1,
			"camwall snapshot: 1 of 1 cameras failed"},
		{"record of a closed port", "record", []string{"record", "--url", closed, "--duration", "1s", "--out", dir, "--config", config}, 1,
			"camwall record: nothing recorded"},
		{"export with nothing recorded", "export", []string{"export", "--camera", "door", "--from", "2026-01-01T10:00:00Z", "--to", "2026-01-01T10:01:00Z",
			"--out", filepath.Join(dir, "clip.mp4"), "--dir", "/nonexistent/recordings", "--config", config}, 1, "camwall export: no camera named \"door\" is configured"},
		{"discover with nothing answering", "discover", []string{"discover", "--no-multicast", "--to", "127.0.0.1:1", "--timeout", "1s"}, 1,
			"camwall discover: no ONVIF camera answered within 1s"},
		{"gopro --help", "gopro", []string{"gopro", "--help"}, 2, "usage: camwall gopro discover"},
		{"camwall --help", "", []string{"--help"}, 0, "usage: camwall"},
	}
	for _, c := range cli.Commands() {
		if !slices.ContainsFunc(tests, func(tc run) bool { return tc.command == c.Name }) {
			t.Errorf("no case runs the sub-command %s", c.Name)
		}
	}
	env := []string{"LANG=C.UTF-8"}
	for _, kv := range os.Environ() {
		switch name, _, _ := strings.Cut(kv, "="); name {
		case "LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES":
		default:
			env = append(env, kv)
		}
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := runCamwallIn(t, env, bin, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, want %d and %q on stderr\nstdout:\n%s\nstderr:\n%s", code, tc.code, tc.stderr, stdout, stderr)
			}
			if all := stdout + stderr; strings.Contains(all, "Fyne") {
				t.Errorf("printed something from Fyne:\n%s", all)
			}
		})
	}
}
