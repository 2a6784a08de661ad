package rtspserver

import (
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
)

// received is what a reader got from a stream.
type received struct {
	mu   sync.Mutex
	pkts []*rtp.Packet
	// reports holds, for each sender report, how many packets had come
	// before it.
	reports []int
	ended   chan error // the client's Wait
}

func (r *received) counts() (pkts, reports int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.pkts), len(r.reports)
}

// since is what arrived after the first n packets.
func (r *received) since(n int) []*rtp.Packet {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*rtp.Packet(nil), r.pkts[n:]...)
}

// play reads rawURL over tr until the test ends.
func play(t *testing.T, rawURL string, tr gortsplib.Transport) *received {
	t.Helper()
	c, u := client(t, rawURL)
	c.Transport = &tr
	desc, _, err := c.Describe(u)
	if err != nil {
		t.Fatalf("DESCRIBE %s: %v", rawURL, err)
	}
	if err := c.SetupAll(desc.BaseURL, desc.Medias); err != nil {
		t.Fatal(err)
	}
	r := &received{ended: make(chan error, 1)}
	c.OnPacketRTPAny(func(_ *description.Media, _ format.Format, p *rtp.Packet) {
		p = p.Clone() // the client may reuse its buffers
		r.mu.Lock()
		r.pkts = append(r.pkts, p)
		r.mu.Unlock()
	})
	c.OnPacketRTCPAny(func(_ *description.Media, p rtcp.Packet) {
		if _, ok := p.(*rtcp.SenderReport); ok {
			r.mu.Lock()
			r.reports = append(r.reports, len(r.pkts))
			r.mu.Unlock()
		}
	})
	if _, err := c.Play(nil); err != nil {
		t.Fatal(err)
	}
	go func() { r.ended <- c.Wait() }()
	return r
}

// waitFor polls cond for up to a minute: long enough for a loaded machine.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after a minute: %s", what)
		}
	}
}

// faultyServer serves feed at path cam of a server with faults.
func faultyServer(t *testing.T, srv *Server, feed *Feed) *Server {
	t.Helper()
	if srv.Faults == nil {
		srv.Faults = &Faults{}
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	if err := feed.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(feed.Stop)
	if err := feed.Publish(srv, "cam"); err != nil {
		t.Fatal(err)
	}
	return srv
}

func demoFeed(t *testing.T) *Feed {
	t.Helper()
	clip, err := DemoClip()
	if err != nil {
		t.Fatal(err)
	}
	return &Feed{Clip: clip, Alt: altClip, Seed: 1}
}

// altClip is an "access unit" of made-up NAL units: an SPS, a PPS and an
// IDR slice that no real clip has, to be recognised when it arrives.
var altClip = Clip{AccessUnits: [][][]byte{{
	{0x67, 0x42, 0xc0, 0x1e, 0xde, 0xad},
	{0x68, 0xce, 0x3c, 0x80},
	{0x65, 0xbe, 0xef, 0xbe, 0xef},
}}}

// Each answer a test asks for is what DESCRIBE gets, a 401 even with the
// right credentials, until the server answers normally again.
func TestFaultsAnswerEveryDescribeWithTheStatusAsked(t *testing.T) {
	srv := faultyServer(t, &Server{User: "u", Pass: "p"}, demoFeed(t))
	describe := func() base.StatusCode {
		u, err := base.ParseURL(srv.URL("cam"))
		if err != nil {
			t.Fatal(err)
		}
		u.User = url.UserPassword("u", "p")
		c := &gortsplib.Client{Scheme: u.Scheme, Host: u.Host}
		if err := c.Start2(); err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, _, err := c.Describe(u); err != nil {
			return statusOf(err)
		}
		return base.StatusOK
	}
	for _, code := range []base.StatusCode{base.StatusUnauthorized, base.StatusNotFound, base.StatusServiceUnavailable, 0} {
		t.Run(strconv.Itoa(int(code)), func(t *testing.T) {
			srv.Faults.SetAnswer(code)
			want := code
			if code == 0 {
				want = base.StatusOK
			}
			if got := describe(); got != want {
				t.Errorf("DESCRIBE answered %d, want %d", got, want)
			}
		})
	}
}

// Kick drops the readers that are playing, and Unpublish takes the path
// away: its readers are dropped and it answers 404.
func TestKickAndUnpublishDropTheReaders(t *testing.T) {
	tests := []struct {
		name     string
		fault    func(*Server)
		describe base.StatusCode // what a new reader's DESCRIBE gets then
	}{
		{"kick", func(s *Server) { s.Faults.Kick() }, base.StatusOK},
		{"unpublish", func(s *Server) { s.Unpublish("cam") }, base.StatusNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			feed := demoFeed(t)
			srv := faultyServer(t, &Server{}, feed)
			r := play(t, srv.URL("cam"), gortsplib.TransportTCP)
			waitFor(t, "no packet", func() bool { n, _ := r.counts(); return n > 0 })
			if tc.name == "unpublish" {
				feed.Detach()
			}
			tc.fault(srv)
			select {
			case <-r.ended:
			case <-time.After(time.Minute):
				t.Fatal("the reader is still playing a minute later")
			}
			c, u := client(t, srv.URL("cam"))
			_, _, err := c.Describe(u)
			if got := statusOf(err); err != nil && got != tc.describe || err == nil && tc.describe != base.StatusOK {
				t.Errorf("DESCRIBE then: %v, want %d", err, tc.describe)
			}
		})
	}
}

// A silent server leaves a request unanswered, and answers it once it
// speaks again: the connection stayed open all along.
func TestSilentServerAnswersOnceItSpeaksAgain(t *testing.T) {
	srv := faultyServer(t, &Server{}, demoFeed(t))
	srv.Faults.SetSilent(true)
	c, u := client(t, srv.URL("cam"))
	c.ReadTimeout = time.Minute
	answered := make(chan error, 1)
	go func() { _, _, err := c.Describe(u); answered <- err }()
	waitFor(t, "the connection was not accepted", func() bool { return srv.Faults.Conns() == 1 })
	select {
	case err := <-answered:
		t.Fatalf("DESCRIBE answered while the server was silent: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	srv.Faults.SetSilent(false)
	select {
	case err := <-answered:
		if err != nil {
			t.Errorf("DESCRIBE after the silence: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("no answer a minute after the server spoke again")
	}
}

// A server with UDP addresses plays over UDP.
func TestServerPlaysOverUDP(t *testing.T) {
	rtpAddr, rtcpAddr, err := FreeUDPPair()
	if err != nil {
		t.Fatal(err)
	}
	srv := faultyServer(t, &Server{UDPRTPAddress: rtpAddr, UDPRTCPAddress: rtcpAddr}, demoFeed(t))
	r := play(t, srv.URL("cam"), gortsplib.TransportUDP)
	waitFor(t, "no packet over UDP", func() bool { n, _ := r.counts(); return n > 10 })
}

// SetUDPSilent accepts a UDP SETUP and sends nothing over UDP, while TCP
// readers play on: the firewall that lets RTSP through and drops the media.
// Once it is off, a new UDP reader plays.
func TestUDPSilentDropsOnlyWhatTravelsOverUDP(t *testing.T) {
	rtpAddr, rtcpAddr, err := FreeUDPPair()
	if err != nil {
		t.Fatal(err)
	}
	srv := faultyServer(t, &Server{UDPRTPAddress: rtpAddr, UDPRTCPAddress: rtcpAddr}, demoFeed(t))
	srv.Faults.SetUDPSilent(true)
	udp := play(t, srv.URL("cam"), gortsplib.TransportUDP)
	tcp := play(t, srv.URL("cam"), gortsplib.TransportTCP)
	// TCP's packets are the clock: by the time 30 have come, UDP's would
	// have too.
	waitFor(t, "no packet over TCP", func() bool { n, _ := tcp.counts(); return n > 30 })
	if n, _ := udp.counts(); n != 0 {
		t.Fatalf("%d packets over UDP while it was silenced", n)
	}
	srv.Faults.SetUDPSilent(false)
	again := play(t, srv.URL("cam"), gortsplib.TransportUDP)
	waitFor(t, "no packet over UDP once it was let through", func() bool { n, _ := again.counts(); return n > 10 })
}
