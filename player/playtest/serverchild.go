package playtest

import (
	"bufio"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// URLsPrefix starts the line on which a server child announces the URLs of
// its cameras, separated by spaces (AnnounceURLs writes it).
const URLsPrefix = "CAMWALL_SERVER_URLS="

// AnnounceURLs is the server child's side: it tells the parent where its
// cameras are.
func AnnounceURLs(w io.Writer, urls []string) error {
	_, err := fmt.Fprintf(w, "%s%s\n", URLsPrefix, strings.Join(urls, " "))
	return err
}

// ServerChild is a test binary run again (Rerun) as a server of cameras
// for benchmarks and the soak, so that serving costs the measured process
// nothing: it announces its cameras' URLs (AnnounceURLs), takes commands
// one a line on its standard input, answers each with a line starting
// "ok " or "error ", and ends when its standard input closes.
type ServerChild struct {
	*Process
	// URLs are the cameras', as announced.
	URLs []string
	// Stderr is the tail of what the child wrote there, for messages.
	Stderr *Buffer

	stdin   io.WriteCloser
	replies chan string
	mu      sync.Mutex // one command at a time
}

// StartServerChild starts cmd (its SysProcAttr is the caller's: a child
// that must die with the test binary sets Pdeathsig) and waits up to wait
// for it to announce cameras URLs.
func StartServerChild(cmd *exec.Cmd, cameras int, wait time.Duration) (*ServerChild, error) {
	c := &ServerChild{Stderr: &Buffer{Limit: 64 << 10}, replies: make(chan string, 16)}
	cmd.Stderr = c.Stderr
	var err error
	if c.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	urls := make(chan []string, 1)
	c.Process, err = StartProcess(cmd, func() {
		// Read to the end, so that the child never blocks on a full pipe.
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if u, ok := strings.CutPrefix(line, URLsPrefix); ok {
				urls <- strings.Fields(u)
				continue
			}
			if strings.HasPrefix(line, "ok ") || strings.HasPrefix(line, "error ") {
				c.replies <- line
			}
		}
		close(c.replies)
	})
	if err != nil {
		return nil, fmt.Errorf("start the server process: %w", err)
	}
	select {
	case u := <-urls:
		if len(u) == cameras {
			c.URLs = u
			return c, nil
		}
	case <-c.Done():
	case <-time.After(wait):
	}
	c.Close()
	return nil, fmt.Errorf("the server process did not announce its %d cameras; its stderr:\n%s", cameras, c.Stderr.String())
}

// Send runs one command in the child and waits for its answer.
func (c *ServerChild) Send(cmd string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := fmt.Fprintln(c.stdin, cmd); err != nil {
		return fmt.Errorf("server process: %w", err)
	}
	select {
	case r, ok := <-c.replies:
		if !ok {
			return fmt.Errorf("server process ended; its stderr:\n%s", c.Stderr.String())
		}
		if why, failed := strings.CutPrefix(r, "error "); failed {
			return fmt.Errorf("server process: %s", why)
		}
		return nil
	case <-time.After(30 * time.Second):
		return fmt.Errorf("server process did not answer %q within 30 s", cmd)
	}
}

// Close closes the child's standard input, which ends it, kills it by its
// PID if it is still running 5 s later, and waits for it. Calling it again
// does nothing.
func (c *ServerChild) Close() {
	_ = c.stdin.Close()
	c.Stop(nil, 5*time.Second)
}
