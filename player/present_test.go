package player

import (
	"testing"
	"time"
)

// The presentation clock, fed with arrival patterns: an evenly paced camera
// is shown as it arrives, a bunched one on a steady clock, and no picture
// is ever due before it arrived.
func TestPresentClockSpacesBunchedPicturesByTheirTimestamps(t *testing.T) {
	const period = time.Second / 30
	const ticks = 3000 // 90 kHz ticks per frame at 30 fps
	start := time.Unix(1_000_000, 0)
	cases := []struct {
		name string
		// arrival is when picture i arrives.
		arrival func(i int) time.Time
		// wantGap bounds the spread of the gaps between due times, and
		// wantHold how much later than its arrival a picture may be due.
		wantSpread, wantHold time.Duration
	}{
		{"an evenly paced camera is due as it arrives", func(i int) time.Time {
			return start.Add(time.Duration(i) * period)
		}, time.Millisecond, time.Millisecond},
		{"pairs sent together are due a frame apart", func(i int) time.Time {
			return start.Add(time.Duration(i/2*2+1) * period) // 0 and 1 at 1, 2 and 3 at 3 …
		}, 2 * time.Millisecond, period + 2*time.Millisecond},
		{"a few milliseconds of network jitter are smoothed", func(i int) time.Time {
			return start.Add(time.Duration(i)*period + time.Duration(i*7%5)*time.Millisecond)
		}, 2 * time.Millisecond, 5 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var c presentClock
			var prev time.Time
			minGap, maxGap := time.Hour, time.Duration(0)
			for i := range 300 {
				at := tc.arrival(i)
				due := c.due(int64(i*ticks), at)
				if due.Before(at) {
					t.Fatalf("picture %d due %v before it arrived", i, at.Sub(due))
				}
				if i >= delayWindow { // once the clock has seen the pattern
					if hold := due.Sub(at); hold > tc.wantHold {
						t.Errorf("picture %d held %v, want at most %v", i, hold, tc.wantHold)
					}
					gap := due.Sub(prev)
					minGap, maxGap = min(minGap, gap), max(maxGap, gap)
				}
				prev = due
			}
			if maxGap-minGap > tc.wantSpread || minGap < period-tc.wantSpread {
				t.Errorf("gaps between due times from %v to %v, want %v within %v", minGap, maxGap, period, tc.wantSpread)
			}
		})
	}
}

// A stall longer than the jitter allowance is not smoothed away: the
// picture is shown when it comes, and a timestamp that starts over (a new
// stream) is due at once, not an hour later.
func TestPresentClockShowsStallsAndNewStreamsAtOnce(t *testing.T) {
	var c presentClock
	start := time.Unix(1_000_000, 0)
	for i := range 100 {
		c.due(int64(i*3000), start.Add(time.Duration(i)*time.Second/30))
	}
	late := start.Add(100*time.Second/30 + 500*time.Millisecond)
	if due := c.due(100*3000, late); !due.Equal(late) {
		t.Errorf("a picture 500 ms late is due %v after it arrived, want at once", due.Sub(late))
	}
	restart := late.Add(time.Second)
	if due := c.due(0, restart); !due.Equal(restart) {
		t.Errorf("the first picture of a new stream is due %v after it arrived, want at once", due.Sub(restart))
	}
	if due := c.due(noPTS, restart); !due.Equal(restart) {
		t.Errorf("a picture without timestamp is due %v after it arrived", due.Sub(restart))
	}
}
