package player

import (
	"errors"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/rtspserver"
	"github.com/camwall/camwall/player/source/rtsp"
)

// udpServer is an RTSP server that offers RTP over UDP as well as TCP, with
// faults, looping the demo clip at path "cam".
func udpServer(t *testing.T) *rtspserver.Server {
	t.Helper()
	rtpAddr, rtcpAddr, err := rtspserver.FreeUDPPair()
	if err != nil {
		t.Fatal(err)
	}
	srv := playtest.StartServer(t, &rtspserver.Server{UDPRTPAddress: rtpAddr, UDPRTCPAddress: rtcpAddr, Faults: &rtspserver.Faults{}})
	if err := srv.Loop("cam", playtest.DemoClip(t)); err != nil {
		t.Fatal(err)
	}
	return srv
}

// refusingListen fails every UDP socket as Wine 8.0 does (Go's runtime
// sets SIO_UDP_CONNRESET on each, which that Wine lacks), and counts the
// calls.
type refusingListen struct{ calls atomic.Int64 }

var errWineUDP = errors.New("wsaioctl: winapi error #10045")

func (l *refusingListen) listen(network, address string) (net.PacketConn, error) {
	l.calls.Add(1)
	return nil, &net.OpError{Op: "listen", Net: network, Err: errWineUDP}
}

// The automatic transport ends up playing whatever keeps UDP from working,
// in the camera's first attempt (no reconnection), and says why it plays
// over TCP. Neither case can pass by forcing TCP: the camera is on auto, and
// the note names what went wrong with UDP.
func TestAutoTransportGoesOnOverTCPWhenUDPFails(t *testing.T) {
	cases := []struct {
		name string
		// silent makes the server send nothing over UDP; refuse makes
		// every UDP socket fail on the client.
		silent, refuse bool
		wantNote       string
	}{
		{"UDP ports cannot be opened on this machine", false, true, "UDP unavailable: cannot open a UDP port: listen udp: wsaioctl: winapi error #10045; playing over TCP"},
		{"UDP set up but nothing arrives, as behind a firewall", true, false, "UDP unavailable: no RTP arrived over UDP within 3s"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := udpServer(t)
			srv.Faults.SetUDPSilent(tc.silent)
			cfg := Config{Name: "auto", URL: srv.URL("cam")}
			refuse := &refusingListen{}
			if tc.refuse {
				cfg.ListenPacket = refuse.listen
			}
			started := time.Now()
			s := play(t, cfg)
			var st Status
			playtest.WaitFor(t, time.Minute, "never live over TCP", func() bool {
				st = s.Status()
				return st.State == StateLive && st.Transport == "TCP" && st.DecodedFPS > 0
			})
			t.Logf("live over TCP %v after the start", time.Since(started).Round(time.Millisecond))
			if st.Reconnects != 0 {
				t.Errorf("%d reconnections before playing, want the first attempt to go on over TCP", st.Reconnects)
			}
			if !strings.HasPrefix(st.TransportNote, tc.wantNote) {
				t.Errorf("transport note %q, want it to start with %q", st.TransportNote, tc.wantNote)
			}
		})
	}
}

// Once UDP failed, the camera keeps to TCP: its next connection does not
// try UDP again (no UDP port opened), and still says why.
func TestAutoTransportRemembersThatTCPWorks(t *testing.T) {
	srv := udpServer(t)
	refuse := &refusingListen{}
	s := play(t, Config{Name: "auto", URL: srv.URL("cam"), ListenPacket: refuse.listen})
	playtest.WaitFor(t, time.Minute, "never live over TCP", func() bool { return s.Status().State == StateLive })
	tries := refuse.calls.Load()
	if tries == 0 {
		t.Fatal("UDP was never tried")
	}
	srv.Faults.Kick()
	playtest.WaitFor(t, time.Minute, "not live again after the camera dropped the connection", func() bool {
		st := s.Status()
		return st.State == StateLive && st.Reconnects > 0
	})
	if n := refuse.calls.Load(); n != tries {
		t.Errorf("the reconnection opened UDP ports %d more times, want TCP straight away", n-tries)
	}
	if st := s.Status(); st.Transport != "TCP" || !strings.Contains(st.TransportNote, "cannot open a UDP port") {
		t.Errorf("after the reconnection: transport %q, note %q", st.Transport, st.TransportNote)
	}
}

// Where UDP works, the automatic transport plays over it, and says so with
// no note: nothing changes for such cameras.
func TestAutoTransportPlaysOverUDPWhereItWorks(t *testing.T) {
	srv := udpServer(t)
	s := play(t, Config{Name: "auto", URL: srv.URL("cam")})
	var st Status
	playtest.WaitFor(t, time.Minute, "never live", func() bool {
		st = s.Status()
		return st.State == StateLive && st.DecodedFPS > 0
	})
	if st.Transport != "UDP" || st.TransportNote != "" {
		t.Errorf("transport %q, note %q; want UDP with no note", st.Transport, st.TransportNote)
	}
}

// A camera the user set to UDP is not moved to TCP behind their back: when
// no UDP port opens, the tile says so and what to do.
func TestTransportUDPThatCannotOpenSaysWhatToDo(t *testing.T) {
	srv := udpServer(t)
	refuse := &refusingListen{}
	s := play(t, Config{Name: "udp", URL: srv.URL("cam"), Transport: rtsp.TransportUDP, ListenPacket: refuse.listen})
	st := waitState(t, s, time.Minute, StateReconnecting)
	want := "cannot open a UDP port: listen udp: wsaioctl: winapi error #10045: set the camera's transport to auto or tcp"
	if st.Reason != want {
		t.Errorf("reason %q, want %q", st.Reason, want)
	}
}
