package player

import (
	"testing"
	"time"

	"github.com/camwall/camwall/decoder"
	"github.com/camwall/camwall/player/source"
)

// A disk that does not keep up must cost the recording frames, never the
// live picture: the tap on the network goroutine drops instead of waiting,
// counts the drop, and resumes at a keyframe only.
func TestRecordingTapDropsUntilAKeyframeWhenTheWriterLags(t *testing.T) {
	s := New(Config{Name: "cam", URL: "rtsp://127.0.0.1:1/x"})
	// A recorder whose writer never runs: its queue fills up.
	r := &recorder{q: make(chan recItem, 4), stop: make(chan struct{}), done: make(chan struct{})}
	r.waitKey.Store(true)
	s.rec.Store(r)

	tests := []struct {
		name    string
		key     bool
		queued  int // queue length after the unit
		dropped uint64
	}{
		{"a P-frame before any keyframe is not recorded", false, 0, 0},
		{"a keyframe starts the recording", true, 1, 0},
		{"P-frame", false, 2, 0},
		{"P-frame", false, 3, 0},
		{"P-frame fills the queue", false, 4, 0},
		{"a full queue drops", false, 4, 1},
		{"after a drop, P-frames wait", false, 4, 1},
	}
	for i, tc := range tests {
		start := time.Now()
		s.recordTap(source.Unit{Data: []byte{0, 0, 1, 0x41}, PTS: int64(i) * 3000, Key: tc.key}, decoder.H264, 1, nil)
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: the tap blocked for %s", tc.name, d)
		}
		if len(r.q) != tc.queued || r.dropped.Load() != tc.dropped {
			t.Errorf("%s: queued %d, dropped %d; want %d, %d", tc.name, len(r.q), r.dropped.Load(), tc.queued, tc.dropped)
		}
	}
	// The writer catches up; the next keyframe is recorded again.
	for len(r.q) > 0 {
		<-r.q
	}
	s.recordTap(source.Unit{Key: false}, decoder.H264, 1, nil)
	s.recordTap(source.Unit{Key: true}, decoder.H264, 1, nil)
	if len(r.q) != 1 {
		t.Errorf("after catching up: queued %d, want the keyframe only", len(r.q))
	}
	if st := s.Status(); !st.Recording || st.RecordDropped != 1 {
		t.Errorf("status: recording %v, dropped %d", st.Recording, st.RecordDropped)
	}
	s.rec.Store(nil) // its writer never ran: nothing to stop
}
