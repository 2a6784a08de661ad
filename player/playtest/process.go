package playtest

import (
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camwall/camwall/player/childproc"
)

// Process is a child process of a test or a benchmark. It is started from
// childproc's long-lived thread, so that a parent-death signal the caller
// sets in cmd.SysProcAttr fires only when the test binary dies, and it is
// signalled, killed and waited for by its own PID only.
type Process struct {
	// Output holds what the process wrote to the standard output and error
	// that Start found unset; StartProcess leaves it empty.
	Output *Buffer

	cmd      *exec.Cmd
	done     chan struct{} // closed once the process has exited and been waited for
	err      error         // cmd.Wait's, once done is closed
	stopping sync.Once
}

// StartProcess starts cmd. read, when not nil, runs on the goroutine that
// then waits for the process: it reads the pipes the caller took from
// cmd.StdoutPipe or cmd.StderrPipe to their end, as exec requires before
// Wait. The process counts as exited once read has returned and it has been
// waited for.
func StartProcess(cmd *exec.Cmd, read func()) (*Process, error) {
	p := &Process{Output: &Buffer{}, cmd: cmd, done: make(chan struct{})}
	if err := childproc.Start(cmd); err != nil {
		return nil, err
	}
	go func() {
		defer close(p.done)
		if read != nil {
			read()
		}
		p.err = cmd.Wait()
	}()
	return p, nil
}

// Start starts cmd for the test t: the standard output and error it leaves
// unset go to the process's Output, which is logged if the test fails, and
// a process still running when the test ends is killed and waited for.
func Start(t testing.TB, cmd *exec.Cmd) *Process {
	t.Helper()
	out := &Buffer{}
	if cmd.Stdout == nil {
		cmd.Stdout = out
	}
	if cmd.Stderr == nil {
		cmd.Stderr = out
	}
	p, err := StartProcess(cmd, nil)
	if err != nil {
		t.Fatalf("start %s: %v", cmd.Path, err)
	}
	p.Output = out
	t.Cleanup(func() {
		p.Kill()
		if t.Failed() {
			t.Logf("%s:\n%s", strings.Join(cmd.Args, " "), out.String())
		}
	})
	return p
}

// Rerun is a command that runs this test binary again with only the test
// named test, with env added to the environment: a helper process that
// serves or records until it is told to stop or killed.
func Rerun(test string, env ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

// PID is the process's ID.
func (p *Process) PID() int { return p.cmd.Process.Pid }

// Signal sends sig to the process.
func (p *Process) Signal(sig os.Signal) error { return p.cmd.Process.Signal(sig) }

// Done is closed once the process has exited and been waited for.
func (p *Process) Done() <-chan struct{} { return p.done }

// Exited reports whether the process has exited and been waited for.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Err is how the process ended (exec.Cmd.Wait's error), once Done is closed.
func (p *Process) Err() error {
	<-p.done
	return p.err
}

// Kill kills the process, unless it has exited, and waits for it.
func (p *Process) Kill() {
	if !p.Exited() {
		_ = p.cmd.Process.Kill()
	}
	<-p.done
}

// Stop asks the process to end with sig (when sig is nil, the caller has
// asked already, say by closing its standard input), kills it if it is
// still running grace later, and waits for it. Calling it again does
// nothing.
func (p *Process) Stop(sig os.Signal, grace time.Duration) {
	p.stopping.Do(func() {
		if sig != nil {
			_ = p.cmd.Process.Signal(sig)
		}
		select {
		case <-p.done:
		case <-time.After(grace):
			p.Kill()
		}
	})
}
