package cli

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/camwall/camwall/storage"
)

// The command-line flags are held to the rules of the configuration where
// the configuration has the same setting (a camera's url and transport, the
// recording's segment and dir, the snapshots' dir, the number of cameras on
// a wall), and to a range of their own where it has none (timeouts,
// durations). A value out of its range is a usage error (exit 2), said in
// the configuration's words.

// checkURLs holds cameras given by URL on the command line to the rules of a
// configured camera's url and transport (storage.Config.Validate), and to
// the number of cameras a wall shows.
func checkURLs(urls []string, transport string) error {
	if len(urls) == 0 {
		return nil
	}
	c := storage.Config{}
	for i, raw := range urls {
		name := "command line"
		if len(urls) > 1 {
			name = fmt.Sprintf("command line #%d", i+1)
		}
		c.Cameras = append(c.Cameras, storage.Camera{Name: name, URL: raw, Transport: transport})
	}
	return c.Validate()
}

// hwaccelFlag is --hwaccel, which wins over the configuration's hwaccel
// (player.Config.DefaultHWAccel); "" leaves it to the configuration.
func hwaccelFlag(fl *flag.FlagSet) *string {
	return fl.String("hwaccel", "", "decode with `MODE`: auto, off, vaapi, cuda, d3d11va or videotoolbox (default: the configuration's hwaccel, else off)")
}

// checkHWAccel holds --hwaccel to the configuration's values.
func checkHWAccel(mode string) error {
	if err := storage.CheckHWAccel(mode); err != nil {
		return fmt.Errorf("--%w", err)
	}
	return nil
}

// checkCameraCount refuses more cameras at once than a wall shows: each is
// a session of its own.
func checkCameraCount(n int) error {
	if n > storage.MaxCameras {
		return fmt.Errorf("%d cameras: at most %d at once", n, storage.MaxCameras)
	}
	return nil
}

// checkDuration holds flag's value d to [lo, hi]; zero is allowed when
// zeroMeans says what it means.
func checkDuration(flag string, d, lo, hi time.Duration, zeroMeans string) error {
	if d == 0 && zeroMeans != "" || d >= lo && d <= hi {
		return nil
	}
	or := ""
	if zeroMeans != "" {
		or = " (or 0: " + zeroMeans + ")"
	}
	return fmt.Errorf("--%s must be a duration from %s to %s%s, not %s", flag, short(lo), short(hi), or, d)
}

// short writes a duration as a user types it: 24h, not 24h0m0s.
func short(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// outDir is an --out folder as the configuration takes it: ~/… stays for
// storage to resolve (the shell expands only a leading ~ before a space, not
// --out=~/…), anything else is made absolute against where the command runs.
func outDir(out string) (string, error) {
	if out == "~" || strings.HasPrefix(out, "~/") {
		return out, nil
	}
	dir, err := filepath.Abs(out)
	if err != nil {
		return "", fmt.Errorf("--out %s: %w", out, err)
	}
	return dir, nil
}

// usageError says what is wrong with the command line and returns 2.
func usageError(cmd string, err error) int {
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintf(os.Stderr, "camwall %s: %s\n", cmd, line)
	}
	fmt.Fprintf(os.Stderr, "run camwall %s --help for its flags\n", cmd)
	return 2
}
