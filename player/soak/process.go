//go:build linux

package soak

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
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

// serverProcess is the child that serves the cameras.
type serverProcess struct {
	*playtest.Process
	stdin  io.WriteCloser
	urls   []string
	stderr *playtest.Buffer
	// replies are the lines the server answers commands with.
	replies chan string
	mu      sync.Mutex // one command at a time
}

// startServer starts the server process and waits for its cameras' URLs.
func startServer(cameras int, user, pass string, seed uint64) (*serverProcess, error) {
	cmd := playtest.Rerun("TestSoakServer", envServer+"=1", envCameras+"="+strconv.Itoa(cameras),
		envUser+"="+user, envPass+"="+pass, envSeed+"="+strconv.FormatUint(seed, 10))
	// It dies with the test binary, whatever ends it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	p := &serverProcess{stderr: &playtest.Buffer{Limit: 64 << 10}, replies: make(chan string, 16)}
	cmd.Stderr = p.stderr
	var err error
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	urls := make(chan []string, 1)
	p.Process, err = playtest.StartProcess(cmd, func() {
		// Read to the end, so that the child never blocks on a full pipe.
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if u, ok := strings.CutPrefix(line, urlsPrefix); ok {
				urls <- strings.Fields(u)
				continue
			}
			if strings.HasPrefix(line, "ok ") || strings.HasPrefix(line, "error ") {
				p.replies <- line
			}
		}
		close(p.replies)
	})
	if err != nil {
		return nil, fmt.Errorf("start the soak's RTSP server process: %w", err)
	}
	select {
	case u := <-urls:
		if len(u) == cameras {
			p.urls = u
			return p, nil
		}
	case <-p.Done():
	case <-time.After(time.Minute):
	}
	p.stop()
	return nil, fmt.Errorf("the soak's RTSP server process did not announce its %d cameras; its stderr:\n%s", cameras, p.stderr.String())
}

// send runs one command in the server process and waits for its answer.
func (p *serverProcess) send(cmd string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, err := fmt.Fprintln(p.stdin, cmd); err != nil {
		return fmt.Errorf("server process: %w", err)
	}
	select {
	case r, ok := <-p.replies:
		if !ok {
			return fmt.Errorf("server process ended; its stderr:\n%s", p.stderr.String())
		}
		if why, failed := strings.CutPrefix(r, "error "); failed {
			return fmt.Errorf("server process: %s", why)
		}
		return nil
	case <-time.After(30 * time.Second):
		return fmt.Errorf("server process did not answer %q within 30 s", cmd)
	}
}

// stop closes the server's standard input, which ends it, kills it by its
// PID if it is still running 5 s later, and waits for it. Calling it again
// does nothing.
func (p *serverProcess) stop() {
	_ = p.stdin.Close()
	p.Stop(nil, 5*time.Second)
}
