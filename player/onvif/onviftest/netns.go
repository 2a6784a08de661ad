package onviftest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// childEnv marks an InNamespace child; its value is the test it runs.
const childEnv = "ONVIFTEST_NETNS_CHILD"

// namespaceSetup runs inside the new namespace before the test binary: lo
// up with multicast, and the multicast range routed to it with 127.0.0.1 as
// source, so that a Probe sent to the discovery group comes back on lo to a
// listener joined there (with a real source address to answer to).
const namespaceSetup = `ip link set lo up && ip link set lo multicast on && ` +
	`ip route add 224.0.0.0/4 dev lo src 127.0.0.1`

// childGrace is how long before the test binary's deadline the parent ends
// a child, leaving time to report its output.
const childGrace = 5 * time.Second

// InNamespace re-runs the calling test in a new network namespace (unshare
// --net) where only lo exists, up, with multicast routed to it. It returns
// true in the child, which then runs the test's body (a nested call there
// returns true too), and false in the parent once the child has finished: the parent passes, fails with the
// child's output, or skips as the child did. It skips where unshare or ip
// is missing or a namespace cannot be made (neither root nor unprivileged
// user namespaces).
func InNamespace(t *testing.T) bool {
	t.Helper()
	// Inside a child every call is already in the namespace: the test it
	// runs, and a subtest of it that asks again, run in place (re-running
	// from a child would nest namespaces without end).
	if inChildNamespace() {
		return true
	}
	for _, tool := range []string{"unshare", "ip"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("onviftest: InNamespace needs %s (util-linux, iproute2): %v", tool, err)
		}
	}
	// A namespace the test cannot make is a missing facility, not a failure
	// of the code under test: try one first, as root would, then in a user
	// namespace of its own (mapped to root there) as anyone may where the
	// kernel allows unprivileged user namespaces.
	var unshare []string
	var tried []string
	for _, flags := range [][]string{{"--net"}, {"--user", "--map-root-user", "--net"}} {
		args := append(slices.Clone(flags), "--", "sh", "-c", namespaceSetup)
		out, err := exec.Command("unshare", args...).CombinedOutput()
		if err == nil {
			unshare = flags
			break
		}
		tried = append(tried, fmt.Sprintf("unshare %s: %v: %s", strings.Join(flags, " "), err, bytes.TrimSpace(out)))
	}
	if unshare == nil {
		t.Skipf("onviftest: cannot make a network namespace (needs root or unprivileged user namespaces): %s",
			strings.Join(tried, "; "))
	}

	ctx := t.Context()
	if dl, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, dl.Add(-childGrace))
		defer cancel()
	}
	args := append(slices.Clone(unshare), "--", "sh", "-c", namespaceSetup+` && exec "$@"`, "sh",
		os.Args[0], "-test.run", runPattern(t.Name()), "-test.v", "-test.count=1")
	cmd := exec.CommandContext(ctx, "unshare", args...)
	cmd.Env = append(os.Environ(), childEnv+"="+t.Name())
	// unshare and sh exec in turn, so the PID is the test binary's.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGKILL) }
	cmd.WaitDelay = time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	output := out.String()
	name := regexp.QuoteMeta(t.Name())
	switch {
	case ctx.Err() != nil:
		t.Fatalf("onviftest: namespace child killed at the test deadline: %v\n%s", ctx.Err(), output)
	case err != nil:
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			t.Fatalf("onviftest: namespace child: %v\n%s", err, output)
		}
		t.Fatalf("onviftest: the test failed in its network namespace:\n%s", output)
	case regexp.MustCompile(`(?m)^\s*--- SKIP: ` + name + ` `).MatchString(output):
		t.Skipf("onviftest: skipped in its network namespace:\n%s", output)
	case !regexp.MustCompile(`(?m)^\s*--- PASS: ` + name + ` `).MatchString(output):
		t.Fatalf("onviftest: the namespace child did not run %s:\n%s", t.Name(), output)
	}
	t.Logf("in its network namespace:\n%s", output)
	return false
}

// runPattern is the -test.run pattern for exactly this test or subtest:
// each level of the name anchored on its own.
func runPattern(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return strings.Join(parts, "/")
}
