//go:build linux

package playtest

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/camwall/camwall/player/rtspserver"
)

// MediaMTXVersion is the mediamtx that scripts/mediamtx.sh builds and
// StartMediaMTX runs.
const MediaMTXVersion = "v1.20.1"

// MediaMTXBin is where scripts/mediamtx.sh puts the mediamtx binary (what
// `scripts/mediamtx.sh path` prints), or CAMWALL_MEDIAMTX_BIN where that is
// set. It may not be built.
func MediaMTXBin() string {
	if bin := os.Getenv("CAMWALL_MEDIAMTX_BIN"); bin != "" {
		return bin
	}
	// The script's cache: $CAMWALL_CACHE, else $XDG_CACHE_HOME/camwall,
	// else ~/.cache/camwall.
	root := os.Getenv("CAMWALL_CACHE")
	if root == "" {
		cache := os.Getenv("XDG_CACHE_HOME")
		if cache == "" {
			home, _ := os.UserHomeDir()
			cache = filepath.Join(home, ".cache")
		}
		root = filepath.Join(cache, "camwall")
	}
	return filepath.Join(root, "mediamtx-"+MediaMTXVersion, "mediamtx")
}

// MediaMTX is a mediamtx process, a third-party RTSP relay, serving on
// loopback the paths it was started with.
type MediaMTX struct {
	*Process
	// Addr is its RTSP server's address, 127.0.0.1:port.
	Addr string
}

// URL is the rtsp:// URL of one of its paths.
func (m *MediaMTX) URL(path string) string {
	return "rtsp://" + m.Addr + "/" + strings.Trim(path, "/")
}

// Publisher, as a source of StartMediaMTX, is a path that a client
// publishes into (ffmpeg -f rtsp, RTSP ANNOUNCE/RECORD), as cameras behind
// a relay often are.
const Publisher = "publisher"

// StartMediaMTX runs mediamtx as an RTSP relay for the test: each entry of
// sources is a path it serves, pulled from the entry's rtsp:// URL from the
// start (not on demand), or published into when the entry is Publisher. Only its RTSP server runs, on 127.0.0.1, over TCP
// and UDP, on free ports; it logs warnings and errors to t.Log. It is
// killed and waited for when the test ends, and dies with the test binary.
// The test is skipped where mediamtx is not built (`make mediamtx`).
//
// It returns once the RTSP port accepts connections, which is not yet when
// the paths play: mediamtx answers 404 until it has read a source's
// description.
func StartMediaMTX(t testing.TB, sources map[string]string) *MediaMTX {
	t.Helper()
	bin := MediaMTXBin()
	if fi, err := os.Stat(bin); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		t.Skipf("mediamtx %s is not built at %s: run `make mediamtx` (or scripts/mediamtx.sh build)", MediaMTXVersion, bin)
	}
	// The ports were free a moment ago: when another process takes one
	// first, mediamtx exits, and it runs again on others.
	var lastErr error
	for range 3 {
		m, err := startMediaMTX(t, bin, sources)
		if err == nil {
			return m
		}
		lastErr = err
	}
	t.Fatal(lastErr)
	return nil
}

func startMediaMTX(t testing.TB, bin string, sources map[string]string) (*MediaMTX, error) {
	t.Helper()
	dir := t.TempDir()
	addr := FreeTCPAddr(t)
	rtpAddr, rtcpAddr, err := rtspserver.FreeUDPPair()
	if err != nil {
		t.Fatal(err)
	}
	paths := map[string]any{}
	for name, url := range sources {
		// TCP from the start: the project's server offers RTP over TCP
		// only, and mediamtx's switch after its UDP SETUP is refused has
		// left a path unplayed for 30 s on a loaded CI machine.
		path := map[string]any{"source": url, "sourceOnDemand": false, "rtspTransport": "tcp"}
		if url == Publisher {
			path = map[string]any{"source": Publisher}
		}
		paths[strings.Trim(name, "/")] = path
	}
	// Key names as in v1.20.1's mediamtx.yml; mediamtx refuses unknown
	// ones, and turns on whatever is not named here as that file has it.
	conf := map[string]any{
		"logLevel":        "warn",
		"logDestinations": []string{"stdout"},
		"logStructured":   false,
		"api":             false,
		"metrics":         false,
		"pprof":           false,
		"playback":        false,
		"rtsp":            true,
		"rtspTransports":  []string{"tcp", "udp"},
		"rtspEncryption":  "no",
		"rtspAddress":     addr,
		"rtpAddress":      rtpAddr,
		"rtcpAddress":     rtcpAddr,
		"rtmp":            false,
		"hls":             false,
		"webrtc":          false,
		"srt":             false,
		"moq":             false,
		"paths":           paths,
	}
	b, err := yaml.Marshal(conf)
	if err != nil {
		t.Fatal(err)
	}
	confPath := filepath.Join(dir, "mediamtx.yml")
	if err := os.WriteFile(confPath, b, 0o600); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(bin, confPath)
	cmd.Dir = dir // whatever it writes stays in the test's folder
	// MTX_* variables would override the file.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MTX_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = w, w
	out := &Buffer{Limit: 64 << 10}
	p, err := StartProcess(cmd, func() {
		// Ends when mediamtx has exited: the parent's end of w is closed.
		defer r.Close()
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			t.Log("mediamtx: " + sc.Text())
			fmt.Fprintln(out, sc.Text())
		}
	})
	w.Close()
	if err != nil {
		r.Close()
		t.Fatalf("start %s: %v", bin, err)
	}
	p.Output = out
	t.Cleanup(p.Kill)

	m := &MediaMTX{Process: p, Addr: addr}
	up := func() bool {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return false
		}
		c.Close()
		return true
	}
	if !Eventually(30*time.Second, func() bool { return p.Exited() || up() }) {
		t.Fatalf("after 30s: mediamtx does not listen on %s; its output:\n%s", addr, out.String())
	}
	if p.Exited() {
		return nil, fmt.Errorf("mediamtx exited (%v) before it listened on %s; its configuration:\n%s\nits output:\n%s", p.Err(), addr, b, out.String())
	}
	return m, nil
}
