package player

import (
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/rtspserver"
	"github.com/camwall/camwall/player/source/rtsp"
)

// A camera that changes resolution needs a new file: an MP4 track has one
// set of codec parameters, and a reconnect starts the timestamps over.
func TestRecordingStartsANewFileOnNewParametersAndOnReconnect(t *testing.T) {
	playtest.NeedFFprobe(t)
	clip := playtest.DemoClip(t)
	// A second of the 640x360 demo clip, then the 320x240 clip with its own
	// SPS/PPS in band, in a loop (as in the resolution test).
	clip.AccessUnits = append(clip.AccessUnits[:30:30], playtest.SmallClip(t)...)
	srv := playtest.StartServer(t, &rtspserver.Server{})
	if err := srv.Loop("cam", clip); err != nil {
		t.Fatal(err)
	}
	addr := srv.Address()
	s := play(t, Config{Name: "switch", URL: srv.URL("cam"), Transport: rtsp.TransportTCP, MinBackoff: 100 * time.Millisecond})
	if err := s.StartRecording(RecordOptions{Dir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	playtest.WaitFor(t, 20*time.Second, "no recording file", func() bool { return s.Status().RecordFile != "" })
	time.Sleep(2500 * time.Millisecond)

	// The camera goes away and comes back.
	before := s.Status().RecordFile
	srv.Close()
	waitState(t, s, 20*time.Second, StateReconnecting)
	back := playtest.StartServer(t, &rtspserver.Server{Addr: addr})
	if err := back.Loop("cam", clip); err != nil {
		t.Fatal(err)
	}
	playtest.WaitFor(t, 20*time.Second, "no new file after the reconnect", func() bool {
		f := s.Status().RecordFile
		return f != "" && f != before
	})
	time.Sleep(time.Second) // for more than its first frame
	files := s.StopRecording()

	sizes := map[int]bool{}
	for i, f := range files {
		codec, w, h, dur := playtest.Probe(t, f)
		t.Logf("%s: %s %dx%d %.2fs", f, codec, w, h, dur)
		// The last file may hold a single frame: stopped just after it began.
		if codec != "h264" || dur <= 0 && i < len(files)-1 {
			t.Errorf("%s: %s %dx%d %.2fs", f, codec, w, h, dur)
		}
		sizes[w*10000+h] = true
	}
	if len(files) < 3 || !sizes[640*10000+360] || !sizes[320*10000+240] {
		t.Errorf("%d files with sizes %v; want several, of both sizes", len(files), sizes)
	}
}
