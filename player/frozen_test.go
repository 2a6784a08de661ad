package player

import (
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/rtspserver"
	"github.com/camwall/camwall/player/source/rtsp"
)

// What a faultyStream sends, changed while it runs.
const (
	sendVideo   int32 = iota // the demo clip, with sender reports
	sendRTCP                 // sender reports only: the connection looks alive
	sendGarbage              // keyframe-marked units that never decode
)

// faultyStream publishes the demo clip at path on srv from the test, so that
// the test can stop the video while RTCP goes on, or replace it with units
// that do not decode.
type faultyStream struct {
	mode atomic.Int32
	stop chan struct{}
	done sync.WaitGroup
}

func startFaultyStream(t *testing.T, srv *rtspserver.Server, path string) *faultyStream {
	t.Helper()
	forma := &format.H264{PayloadTyp: 96, PacketizationMode: 1}
	medi := &description.Media{Type: description.MediaTypeVideo, Formats: []format.Format{forma}}
	st, err := srv.Publish(path, &description.Session{Medias: []*description.Media{medi}})
	if err != nil {
		t.Fatal(err)
	}
	enc, err := forma.CreateEncoder()
	if err != nil {
		t.Fatal(err)
	}
	clip := playtest.DemoClip(t)
	f := &faultyStream{stop: make(chan struct{})}
	f.done.Go(func() { f.send(t, st, medi, enc, clip) })
	t.Cleanup(func() { close(f.stop); f.done.Wait() })
	return f
}

// garbageIDR is an IDR slice whose header names a picture parameter set
// beyond H.264's 256: every decoder rejects it, nothing comes out.
var garbageIDR = []byte{0x65, 0x88, 0x00, 0x20, 0xde, 0xad, 0xbe, 0xef, 0x55, 0xaa, 0x55, 0xaa}

func (f *faultyStream) send(t *testing.T, st *gortsplib.ServerStream, medi *description.Media,
	enc interface {
		Encode([][]byte) ([]*rtp.Packet, error)
	}, clip rtspserver.Clip) {
	const fps = 30
	tick := time.NewTicker(time.Second / fps)
	defer tick.Stop()
	var ts uint32
	var ssrc uint32
	for i := 0; ; i++ {
		select {
		case <-f.stop:
			return
		case <-tick.C:
		}
		now := time.Now()
		var au [][]byte
		switch f.mode.Load() {
		case sendVideo:
			au = clip.AccessUnits[i%len(clip.AccessUnits)]
		case sendGarbage:
			au = [][]byte{garbageIDR}
		}
		if au != nil {
			pkts, err := enc.Encode(au)
			if err != nil {
				t.Error(err)
				return
			}
			for _, p := range pkts {
				p.Timestamp = ts
				ssrc = p.SSRC
				_ = st.WritePacketRTPWithNTP(medi, p, now)
			}
		}
		if i%6 == 0 { // five sender reports a second
			_ = st.WritePacketRTCP(medi, &rtcp.SenderReport{SSRC: ssrc, NTPTime: ntp(now), RTPTime: ts})
		}
		ts += 90000 / fps
	}
}

// ntp is t as a 64-bit NTP timestamp.
func ntp(t time.Time) uint64 {
	s := uint64(t.Unix() + 2208988800)
	frac := uint64(t.Nanosecond()) << 32 / 1e9
	return s<<32 | frac
}

var frozenReason = regexp.MustCompile(`^frozen since \d\d:\d\d: `)

// A stream that stops carrying pictures while its connection stays alive is
// not live: the tile says since when its picture is frozen and why, the
// attempt starts over, and the tile is live again when pictures come back.
func TestFrozenPictureIsReportedAndRecovers(t *testing.T) {
	tests := []struct {
		name string
		mode int32
		why  string
	}{
		{"video stops while RTCP flows", sendRTCP, "no video arrives"},
		{"units arrive that never decode", sendGarbage, "the video does not decode"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			const readTimeout = time.Second
			srv := playtest.StartServer(t, &rtspserver.Server{})
			f := startFaultyStream(t, srv, "cam")
			s := play(t, Config{Name: "frozen", URL: srv.URL("cam"), Transport: rtsp.TransportTCP,
				ReadTimeout: readTimeout, MinBackoff: 50 * time.Millisecond})
			waitState(t, s, 10*time.Second, StateLive)

			stopped := time.Now()
			f.mode.Store(tc.mode)
			var st Status
			playtest.WaitFor(t, 10*(readTimeout+startGrace), "the frozen picture was never reported", func() bool {
				st = s.Status()
				return st.State != StateLive && frozenReason.MatchString(st.Reason)
			})
			t.Logf("reported %v after the video stopped: %s", time.Since(stopped).Round(time.Millisecond), describe(st))
			// Since the last picture, just before the video stopped.
			since := st.Reason[len("frozen since "):][:5]
			if since != stopped.Local().Format("15:04") && since != stopped.Add(-time.Minute).Local().Format("15:04") {
				t.Errorf("reason %q: want the picture frozen since %s", st.Reason, stopped.Local().Format("15:04"))
			}
			if !regexp.MustCompile(tc.why + "$").MatchString(st.Reason) {
				t.Errorf("reason %q, want it to end with %q", st.Reason, tc.why)
			}

			f.mode.Store(sendVideo)
			published := s.Frames().Published()
			playtest.WaitFor(t, 10*time.Second, "not live again after the video came back", func() bool {
				return s.Status().State == StateLive && s.Frames().Published() > published
			})
		})
	}
}

// The sessions that decode little on purpose are not frozen while their
// video flows: one hidden (keyframes only, with keyframes two read timeouts
// apart) and one decoding on demand (no picture at all until a snapshot
// asks) stay live well past the read timeout.
func TestSessionsThatDecodeLittleAreNotFrozen(t *testing.T) {
	const readTimeout = time.Second
	srv := playtest.StartServer(t, &rtspserver.Server{})
	clip := playtest.DemoClip(t)
	clip.FPS = 15 // a keyframe every 30 frames: every 2 s
	if err := srv.Loop("cam", clip); err != nil {
		t.Fatal(err)
	}
	hidden := play(t, Config{Name: "hidden", URL: srv.URL("cam"), Transport: rtsp.TransportTCP, ReadTimeout: readTimeout})
	hidden.SetHidden(true)
	onDemand := play(t, Config{Name: "on-demand", URL: srv.URL("cam"), Transport: rtsp.TransportTCP,
		ReadTimeout: readTimeout, DecodeOnDemand: true})
	for _, s := range []*Session{hidden, onDemand} {
		waitState(t, s, 10*time.Second, StateLive)
	}
	deadline := time.Now().Add(4 * (readTimeout + startGrace))
	for time.Now().Before(deadline) {
		for _, s := range []*Session{hidden, onDemand} {
			if st := s.Status(); st.State != StateLive {
				t.Fatalf("%s: %s, want live all along", s.Name(), describe(st))
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
}
