//go:build linux

package soak

import (
	"strconv"
	"syscall"
	"time"

	"github.com/camwall/camwall/player/playtest"
)

// The server process is this package's test binary run again with only
// TestSoakServer, and these variables set.
const (
	envServer  = "CAMWALL_SOAK_SERVER"
	envCameras = "CAMWALL_SOAK_CAMERAS"
	envUser    = "CAMWALL_SOAK_USER"
	envPass    = "CAMWALL_SOAK_PASS"
	envSeed    = "CAMWALL_SOAK_SEED"
)

// startServer starts the server process and waits for its cameras' URLs.
func startServer(cameras int, user, pass string, seed uint64) (*playtest.ServerChild, error) {
	cmd := playtest.Rerun("TestSoakServer", envServer+"=1", envCameras+"="+strconv.Itoa(cameras),
		envUser+"="+user, envPass+"="+pass, envSeed+"="+strconv.FormatUint(seed, 10))
	// It dies with the test binary, whatever ends it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	return playtest.StartServerChild(cmd, cameras, time.Minute)
}
