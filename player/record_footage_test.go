package player

import "testing"

// The footage of a recording is the stream's own time from its first
// frame, one frame included for the last, summed over reconnections.
func TestFootageCountsStreamTimeAcrossReconnections(t *testing.T) {
	type frame struct {
		pts    int64
		stream uint64
	}
	tests := []struct {
		name   string
		frames []frame
		next   frame
		want   int64
	}{
		{"nothing written yet", nil, frame{5000, 1}, 0},
		{"one stream, from its first frame", []frame{{1000, 1}, {4000, 1}, {7000, 1}}, frame{10000, 1}, 9000},
		{"a reconnection adds the first stream's span and a frame",
			[]frame{{1000, 1}, {4000, 1}, {7000, 1}, {500, 2}, {3500, 2}}, frame{6500, 2}, 9000 + 6000},
		{"the first frame of a new stream", []frame{{1000, 1}, {4000, 1}}, frame{0, 2}, 6000},
		{"a timestamp near 2^33 ticks (an MPEG-TS wrap) counts as any other",
			[]frame{{1<<33 - 6000, 1}, {1<<33 - 3000, 1}}, frame{1 << 33, 1}, 6000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var f footage
			for _, fr := range tc.frames {
				f.wrote(fr.pts, fr.stream)
			}
			if got := f.at(tc.next.pts, tc.next.stream); got != tc.want {
				t.Errorf("footage = %d ticks, want %d", got, tc.want)
			}
		})
	}
}
