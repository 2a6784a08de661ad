package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/redact/redacttest"
	"github.com/camwall/camwall/player/rtspserver"
)

// Every URL shape, given to the built binary's commands as users give it:
// probe (against a closed port), snapshot and record (against a server
// that plays the shapes it can); no secret shows on stdout or stderr or in
// the name of a folder or file written, a URL the configuration refuses is
// refused by the command too, and a shape that plays is written.
func TestCommandsShowNoSecretOfAnyURLShape(t *testing.T) {
	bin := camwallBinary(t)
	closed := playtest.FreeTCPAddr(t)
	srv := playtest.StartServer(t, &rtspserver.Server{NoPublishers: true})
	clip := playtest.DemoClip(t)
	for _, p := range redacttest.PlayedPaths() {
		if err := srv.Loop(p, clip); err != nil {
			t.Fatal(err)
		}
	}
	noConfig := filepath.Join(t.TempDir(), "none.yaml")
	for _, sh := range redacttest.Shapes {
		t.Run(sh.Name, func(t *testing.T) {
			host := closed
			if sh.Plays {
				host = srv.Address()
			}
			raw := sh.At(host)
			type run struct {
				name string
				args []string
				// written: the command writes files (a shape that plays
				// and is valid); refused: it exits at once with the
				// configuration's words.
				written, refused bool
			}
			// A camera that plays is given all the time a loaded machine may
			// need; one that cannot fails whatever the timeout.
			timeout := "1s"
			if sh.Plays {
				timeout = "30s"
			}
			runs := []run{
				{"probe", []string{"probe", sh.At(closed), "--seconds", "1", "--timeout", "1s"}, false, sh.Invalid},
				{"snapshot", []string{"snapshot", "--config", noConfig, "--timeout", timeout, "--url", raw}, sh.Plays && !sh.Invalid, sh.Invalid},
			}
			if sh.Plays || sh.Invalid {
				// record waits out its grace for a camera that never plays.
				runs = append(runs, run{"record", []string{"record", "--config", noConfig, "--duration", "1s", "--url", raw}, sh.Plays && !sh.Invalid, sh.Invalid})
			}
			for _, r := range runs {
				out := t.TempDir()
				args := r.args
				if r.name != "probe" {
					args = append(args, "--out", out)
				}
				stdout, stderr, code := runCamwall(t, bin, args...)
				if (code == 0) != r.written {
					t.Errorf("%s: exit code %d\nstdout:\n%s\nstderr:\n%s", r.name, code, stdout, stderr)
				}
				if r.refused && (strings.Contains(stdout, "probing") || !strings.Contains(stderr, "URL") && !strings.Contains(stderr, "%23")) {
					t.Errorf("%s: the URL is not refused in the configuration's words:\n%s", r.name, stderr)
				}
				var files []string
				filepath.WalkDir(out, func(path string, d os.DirEntry, _ error) error {
					if rel, err := filepath.Rel(out, path); err == nil && rel != "." {
						files = append(files, rel)
					}
					return nil
				})
				if r.written && len(files) < 2 {
					t.Errorf("%s: wrote %q, want a folder with a file", r.name, files)
				}
				all := stdout + stderr + strings.Join(files, "\n")
				if leaked := sh.Leaked(all); leaked != nil {
					t.Errorf("%s shows %q in its output or file names:\n%s", r.name, leaked, all)
				}
			}
		})
	}
}
