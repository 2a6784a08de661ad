//go:build unix

package playtest

import (
	"errors"
	"io"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestStopAsksThenKills(t *testing.T) {
	tests := []struct {
		name   string
		script string
		signal syscall.Signal // how the process ends
	}{
		{"ends when asked", "exec sleep 30", syscall.SIGTERM},
		{"killed when it will not end", `trap "" TERM; exec sleep 30`, syscall.SIGKILL},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := StartProcess(exec.Command("sh", "-c", tc.script), nil)
			if err != nil {
				t.Fatal(err)
			}
			time.Sleep(100 * time.Millisecond) // let sh set its trap
			start := time.Now()
			p.Stop(syscall.SIGTERM, 500*time.Millisecond)
			if !p.Exited() {
				t.Fatal("Stop returned before the process exited")
			}
			var exit *exec.ExitError
			if err := p.Err(); !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != tc.signal {
				t.Errorf("ended with %v, want %v", err, tc.signal)
			}
			if took := time.Since(start); tc.signal == syscall.SIGTERM && took >= 30*time.Second {
				t.Errorf("Stop took %v for a process that ends when asked", took)
			}
			p.Stop(syscall.SIGTERM, time.Minute) // again: nothing to do
		})
	}
}

func TestStartProcessReadsToTheEndBeforeWaiting(t *testing.T) {
	cmd := exec.Command("sh", "-c", "echo one; echo two")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var got []byte
	p, err := StartProcess(cmd, func() { got, _ = io.ReadAll(stdout) })
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Err(); err != nil {
		t.Fatal(err)
	}
	if string(got) != "one\ntwo\n" {
		t.Errorf("read %q", got)
	}
}

func TestStartCollectsOutputAndKillsAtTheEnd(t *testing.T) {
	var p *Process
	t.Run("child", func(t *testing.T) {
		p = Start(t, exec.Command("sh", "-c", "echo out; echo err >&2; exec sleep 30"))
		WaitFor(t, 20*time.Second, "no output", func() bool { return strings.Count(p.Output.String(), "\n") == 2 })
	})
	if !p.Exited() {
		t.Error("the process outlived its test")
	}
	if out := p.Output.String(); !strings.Contains(out, "out\n") || !strings.Contains(out, "err\n") {
		t.Errorf("output %q, want both streams", out)
	}
}

func TestBufferKeepsTheBeginning(t *testing.T) {
	b := &Buffer{Limit: 4}
	for _, s := range []string{"ab", "cde", "fg"} {
		if n, err := b.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", s, n, err)
		}
	}
	if got := b.String(); got != "abcde" {
		t.Errorf("kept %q, want abcde (writes stop once past the limit)", got)
	}
}

func TestEventuallyPollsUntilTheConditionHoldsOrTimeIsUp(t *testing.T) {
	n := 0
	if !Eventually(time.Minute, func() bool { n++; return n == 3 }) || n != 3 {
		t.Errorf("asked %d times for a condition that holds the third time", n)
	}
	start := time.Now()
	if Eventually(50*time.Millisecond, func() bool { return false }) {
		t.Error("a condition that never holds was seen")
	}
	if took := time.Since(start); took < 50*time.Millisecond {
		t.Errorf("gave up after %v, before the deadline", took)
	}
}
