package player

import (
	"fmt"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/camwall/camwall/player/gopro/goprotest"
	"github.com/camwall/camwall/player/playtest"
)

// tsClip is one second of the test pattern at w×h as MPEG-TS, as a camera
// streams it.
func tsClip(t *testing.T, w, h int) []byte {
	t.Helper()
	p := playtest.FFmpegFile(t, fmt.Sprintf("clip%dx%d.ts", w, h), "-f", "lavfi", "-i", fmt.Sprintf("testsrc2=s=%dx%d:r=30:d=1", w, h),
		"-c:v", "libx264", "-preset", "ultrafast", "-bf", "0", "-g", "15", "-pix_fmt", "yuv420p", "-f", "mpegts")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sendTS sends ts over and over in 7-packet datagrams, a loop a second, from
// the loopback address from to port on 127.0.0.1, until the test ends.
func sendTS(t *testing.T, from string, port int, ts []byte) {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.ParseIP(from)})
	if err != nil {
		t.Fatalf("send from %s: %v", from, err)
	}
	to := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port}
	const size = 7 * 188
	n := (len(ts) + size - 1) / size
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(time.Second / time.Duration(n))
		defer tick.Stop()
		for i := 0; ; i = (i + 1) % n {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			_, _ = c.WriteTo(ts[i*size:min((i+1)*size, len(ts))], to)
		}
	})
	t.Cleanup(func() { close(stop); wg.Wait(); c.Close() })
}

// Two hosts send to the same port: with sources=, only the camera's
// datagrams are read, and the other's pictures never reach the tile.
func TestUDPInputReadsOnlyItsSource(t *testing.T) {
	camera, intruder := tsClip(t, 320, 240), tsClip(t, 640, 360)
	tests := []struct {
		name, query string
		camera      string // where the camera sends from
	}{
		{"the camera on 127.0.0.2", "?sources=127.0.0.2", "127.0.0.2"},
		{"the camera on 127.0.0.1", "?sources=127.0.0.1", "127.0.0.1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			port := playtest.FreeUDPPort(t)
			other := "127.0.0.1"
			if tc.camera == other {
				other = "127.0.0.2"
			}
			sendTS(t, tc.camera, port, camera)
			sendTS(t, other, port, intruder)
			s := play(t, Config{Name: "udp", URL: fmt.Sprintf("udp://@:%d%s", port, tc.query)})
			expectOnly(t, s, 320, 240)
		})
	}
}

// expectOnly waits for the session to be live at w×h, then checks for a
// while that it stays so: no picture of another size was decoded.
func expectOnly(t *testing.T, s *Session, w, h int) {
	t.Helper()
	st := waitState(t, s, 10*time.Second, StateLive)
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if st = s.Status(); st.State != StateLive || st.Width != w || st.Height != h {
			t.Fatalf("%s at %dx%d, want live at %dx%d only", describe(st), st.Width, st.Height, w, h)
		}
	}
}

// A GoPro's stream is read only from the camera's own address: another host
// sending to the same port (here 127.0.0.2, the simulated camera being on
// 127.0.0.1) does not reach the tile.
func TestGoProStreamIsReadOnlyFromTheCamera(t *testing.T) {
	sim := goprotest.Start(t, goprotest.Config{})
	port := playtest.FreeUDPPort(t)
	sendTS(t, "127.0.0.2", port, tsClip(t, 320, 240))
	s := play(t, Config{Name: "gopro", URL: fmt.Sprintf("gopro://%s?port=%d", sim.Addr(), port)})
	expectOnly(t, s, 640, 360)
}
