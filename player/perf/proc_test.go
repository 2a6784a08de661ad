//go:build linux

package perf

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// userHZ is the unit of /proc's CPU times (USER_HZ, `getconf CLK_TCK`): 100
// on every Linux architecture camwall builds for; it is part of the ABI.
const userHZ = 100

// cpuTime is CPU time split into user and system (kernel) time.
type cpuTime struct{ User, Sys time.Duration }

func (c cpuTime) Total() time.Duration { return c.User + c.Sys }

func (c cpuTime) Add(d cpuTime) cpuTime { return cpuTime{c.User + d.User, c.Sys + d.Sys} }

func (c cpuTime) Sub(d cpuTime) cpuTime { return cpuTime{c.User - d.User, c.Sys - d.Sys} }

// selfCPU is this process's CPU time, all threads included (FFmpeg's too),
// children excluded.
func selfCPU() cpuTime {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return cpuTime{}
	}
	return cpuTime{time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano())}
}

// selfMaxRSS is getrusage's peak resident set size of this process over its
// whole life, in bytes (Linux reports KiB).
func selfMaxRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Maxrss << 10
}

// procCPU is the CPU time of process pid (all its threads) from
// /proc/PID/stat.
func procCPU(pid int) (cpuTime, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return cpuTime{}, err
	}
	utime, stime, err := parseStatTicks(b)
	if err != nil {
		return cpuTime{}, fmt.Errorf("/proc/%d/stat: %w", pid, err)
	}
	return cpuTime{ticks(utime), ticks(stime)}, nil
}

// windowCPU is the CPU time of process pid's window alone: its main thread,
// where Fyne's GLFW driver draws and every fyne.Do runs (the driver locks
// the main goroutine to it), and Mesa's llvmpipe threads, which rasterise
// what it draws. Receiving, decoding and scaling run on other threads, so
// this is what a repaint costs, comparable between camwall and the bare
// Fyne floor.
func windowCPU(pid int) (cpuTime, error) {
	dir := fmt.Sprintf("/proc/%d/task", pid)
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return cpuTime{}, err
	}
	var sum cpuTime
	for _, t := range tasks {
		b, err := os.ReadFile(filepath.Join(dir, t.Name(), "stat"))
		if err != nil {
			continue // the thread has ended
		}
		if t.Name() != strconv.Itoa(pid) && !strings.HasPrefix(statComm(b), "llvmpipe") {
			continue
		}
		utime, stime, err := parseStatTicks(b)
		if err != nil {
			return cpuTime{}, fmt.Errorf("%s/%s/stat: %w", dir, t.Name(), err)
		}
		sum = sum.Add(cpuTime{ticks(utime), ticks(stime)})
	}
	return sum, nil
}

// statComm is the command name (field 2) of a /proc/PID/stat line: between
// the first '(' and the last ')'.
func statComm(b []byte) string {
	i, j := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
	if i < 0 || j < i {
		return ""
	}
	return string(b[i+1 : j])
}

func ticks(n int64) time.Duration { return time.Duration(n) * time.Second / userHZ }

// parseStatTicks returns utime and stime (fields 14 and 15) of a
// /proc/PID/stat line. The command name (field 2) may contain spaces and
// parentheses, so the fields are counted after its last ')'.
func parseStatTicks(b []byte) (utime, stime int64, err error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, 0, fmt.Errorf("no command name in %q", b)
	}
	f := strings.Fields(string(b[i+1:]))
	// f[0] is field 3 (state), so field n is f[n-3].
	if len(f) < 13 {
		return 0, 0, fmt.Errorf("too few fields in %q", b)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("bad utime/stime %q %q", f[11], f[12])
	}
	return utime, stime, nil
}

// machineCPU is the CPU time all processes on the machine have used (busy)
// and the time the hypervisor gave the machine's CPUs to someone else
// (steal), from the first line of /proc/stat.
func machineCPU() (busy, steal time.Duration) {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		return 0, 0
	}
	b, st, _ := parseMachineCPU(sc.Text())
	return ticks(b), ticks(st)
}

// parseMachineCPU sums the "cpu" line of /proc/stat: busy is user, nice,
// system, irq and softirq (guest and guest_nice are already in user and
// nice); steal is field 8.
func parseMachineCPU(line string) (busy, steal int64, err error) {
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return 0, 0, fmt.Errorf("not a cpu line: %q", line)
	}
	for i, s := range f[1:9] {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, 0, err
		}
		switch i {
		case 3, 4: // idle, iowait
		case 7:
			steal = v
		default:
			busy += v
		}
	}
	return busy, steal, nil
}

// procStatusKB returns a "Vm…:" field of /proc/PID/status (pid "self"
// works) in bytes, e.g. VmRSS or VmHWM.
func procStatusKB(pid, field string) int64 {
	b, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return 0
	}
	return parseStatusKB(b, field)
}

func parseStatusKB(b []byte, field string) int64 {
	for line := range strings.SplitSeq(string(b), "\n") {
		rest, ok := strings.CutPrefix(line, field+":")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			return 0
		}
		v, _ := strconv.ParseInt(f[0], 10, 64)
		return v << 10
	}
	return 0
}

// resetPeakRSS resets this process's VmHWM to its current RSS, so that a
// phase's peak can be read afterwards. It reports whether that worked.
func resetPeakRSS() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

func TestParseProcFiles(t *testing.T) {
	utime, stime, err := parseStatTicks([]byte("4242 (ffmpeg (x) y) S 1 2 3 4 5 6 7 8 9 10 250 31 0 0 20 0 3 0"))
	if err != nil || utime != 250 || stime != 31 {
		t.Errorf("parseStatTicks = %d, %d, %v; want 250, 31", utime, stime, err)
	}
	busy, steal, err := parseMachineCPU("cpu  100 5 20 9000 40 1 2 3 7 0")
	if err != nil || busy != 128 || steal != 3 {
		t.Errorf("parseMachineCPU = %d, %d, %v; want 128, 3", busy, steal, err)
	}
	status := []byte("Name:\tx\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\n")
	if got := parseStatusKB(status, "VmRSS"); got != 1024<<10 {
		t.Errorf("VmRSS = %d, want %d", got, 1024<<10)
	}
	if got := parseStatusKB(status, "VmSwap"); got != 0 {
		t.Errorf("VmSwap = %d, want 0", got)
	}
	if got := statComm([]byte("77 (llvmpipe-1) S 1")); got != "llvmpipe-1" {
		t.Errorf("statComm = %q, want llvmpipe-1", got)
	}
	// The live files parse too.
	if _, err := procCPU(os.Getpid()); err != nil {
		t.Error(err)
	}
	if _, err := windowCPU(os.Getpid()); err != nil {
		t.Error(err)
	}
	if busy, _ := machineCPU(); busy <= 0 || procStatusKB("self", "VmRSS") <= 0 || selfCPU().Total() <= 0 {
		t.Error("cannot read this machine's /proc/stat, /proc/self/status or getrusage")
	}
}
