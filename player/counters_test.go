package player

import (
	"os"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/rtspserver"
	"github.com/camwall/camwall/player/source/rtsp"
)

// The totals a wall's metrics are made of: what was received and decoded
// goes on counting across a reconnection, which is counted; a recording
// counts what it wrote.
func TestStatusCountsFramesReconnectsAndRecordedBytes(t *testing.T) {
	faults := &rtspserver.Faults{}
	srv := playtest.StartServer(t, &rtspserver.Server{Faults: faults})
	if err := srv.Loop("cam", playtest.DemoClip(t)); err != nil {
		t.Fatal(err)
	}
	s := play(t, Config{Name: "counted", URL: srv.URL("cam"), Transport: rtsp.TransportTCP})
	var st Status
	playtest.WaitFor(t, 20*time.Second, "nothing received and decoded while live", func() bool {
		st = s.Status()
		return st.State == StateLive && st.Received > 0 && st.Decoded > 0
	})
	if st.Reconnects != 0 {
		t.Errorf("reconnects = %d on the first attempt, want 0", st.Reconnects)
	}
	if st.Decoded > st.Received {
		t.Errorf("decoded %d frames of %d access units received", st.Decoded, st.Received)
	}

	if err := s.StartRecording(RecordOptions{Dir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	playtest.WaitFor(t, 20*time.Second, "the recording counts no bytes", func() bool { return s.Status().RecordBytes > 0 })

	before := s.Status()
	faults.Kick()
	playtest.WaitFor(t, 20*time.Second, "no reconnect counted after the camera dropped the connection", func() bool {
		st = s.Status()
		return st.State == StateLive && st.Reconnects > 0
	})
	if st.Reconnects != 1 {
		t.Errorf("reconnects = %d after one dropped connection, want 1", st.Reconnects)
	}
	playtest.WaitFor(t, 20*time.Second, "the totals did not go on from before the reconnection", func() bool {
		st = s.Status()
		return st.Received > before.Received && st.Decoded > before.Decoded && st.RecordBytes > before.RecordBytes
	})

	files := s.StopRecording()
	var size int64
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		size += fi.Size()
	}
	if st.RecordBytes > uint64(size) {
		t.Errorf("recording counted %d bytes, but its files hold %d", st.RecordBytes, size)
	}
	if after := s.Status(); after.Recording || after.RecordBytes != 0 {
		t.Errorf("after StopRecording: recording %v, %d bytes; want neither", after.Recording, after.RecordBytes)
	}
}
