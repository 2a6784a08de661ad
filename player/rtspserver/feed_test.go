package rtspserver

import (
	"bytes"
	"slices"
	"testing"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/pion/rtp"
)

// Each stream fault shows in what a reader receives, and ends when the
// test says so. The reader plays over TCP, which keeps the server's order:
// what arrives after a sender report was sent after it.
func TestFeedFaultsShowInWhatTheReaderGets(t *testing.T) {
	step := uint32(90000 / 30) // the demo clip's frame period on the RTP clock
	tests := []struct {
		name string
		// fault makes the stream misbehave; seen waits until the reader
		// has got what shows it.
		fault func(*Feed)
		seen  func(t *testing.T, r *received, from int)
	}{
		{"no video, only sender reports", func(f *Feed) { f.SetFault(StreamNoVideo) }, func(t *testing.T, r *received, _ int) {
			_, reports := r.counts()
			// The second report from now was sent during the fault
			// (the first may have been on its way); no RTP may follow it.
			waitFor(t, "fewer than three sender reports", func() bool { _, n := r.counts(); return n >= reports+3 })
			r.mu.Lock()
			defer r.mu.Unlock()
			if a, b := r.reports[reports+1], r.reports[reports+2]; a != b {
				t.Errorf("%d RTP packets between two sender reports of the fault, want none", b-a)
			}
		}},
		{"garbage payloads", func(f *Feed) { f.SetFault(StreamGarbage) }, func(t *testing.T, r *received, from int) {
			waitFor(t, "fewer than 100 packets", func() bool { n, _ := r.counts(); return n >= from+100 })
			valid := []byte{1, 5, 6, 7, 8, 9, 24, 28} // what the clip's packets start with
			invalid := 0
			for _, p := range r.since(from)[40:] {
				if len(p.Payload) > 0 && !slices.Contains(valid, p.Payload[0]&0x1f) {
					invalid++
				}
			}
			if invalid == 0 {
				t.Error("every payload starts with a NAL unit type the clip has: not garbage")
			}
		}},
		{"the alternative clip", func(f *Feed) { f.SetFault(StreamAltClip) }, func(t *testing.T, r *received, from int) {
			waitFor(t, "the alternative clip's access unit never came", func() bool {
				return slices.ContainsFunc(accessUnits(t, r.since(from)), func(au [][]byte) bool {
					return slices.EqualFunc(au, altClip.AccessUnits[0], bytes.Equal)
				})
			})
		}},
		{"a timestamp jump", func(f *Feed) { f.SetFault(StreamTimeJump) }, func(t *testing.T, r *received, from int) {
			waitFor(t, "no jump of TimeJump in the timestamps", func() bool { return hasStep(r.since(from), TimeJump+step) })
		}},
		{"loss and reordering", func(f *Feed) { f.SetLoss(0.3, 0.3) }, func(t *testing.T, r *received, from int) {
			waitFor(t, "no gap and no reordering in the sequence numbers", func() bool {
				gap, back := false, false
				pkts := r.since(from)
				for i := 1; i < len(pkts); i++ {
					d := int16(pkts[i].SequenceNumber - pkts[i-1].SequenceNumber)
					gap, back = gap || d > 1, back || d < 0
				}
				return gap && back
			})
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			feed := demoFeed(t)
			srv := faultyServer(t, &Server{}, feed)
			r := play(t, srv.URL("cam"), gortsplib.TransportTCP)
			waitFor(t, "no packet", func() bool { n, _ := r.counts(); return n > 0 })
			// From the last packet before the fault: a jump is between
			// it and the next.
			from, _ := r.counts()
			from--
			tc.fault(feed)
			tc.seen(t, r, from)

			// And back to the clip as it is.
			feed.SetFault(StreamOK)
			feed.SetLoss(0, 0)
			first := feed.Clip.AccessUnits[0]
			from, _ = r.counts()
			waitFor(t, "the clip's first access unit never came back", func() bool {
				return slices.ContainsFunc(accessUnits(t, r.since(from)), func(au [][]byte) bool {
					return slices.EqualFunc(au, first, bytes.Equal)
				})
			})
		})
	}
}

// hasStep reports whether the timestamp moves by d between two packets
// that follow each other.
func hasStep(pkts []*rtp.Packet, d uint32) bool {
	for i := 1; i < len(pkts); i++ {
		if pkts[i].Timestamp-pkts[i-1].Timestamp == d {
			return true
		}
	}
	return false
}

// accessUnits depacketizes H.264 packets, skipping what does not decode.
func accessUnits(t *testing.T, pkts []*rtp.Packet) [][][]byte {
	t.Helper()
	dec, err := h264().CreateDecoder()
	if err != nil {
		t.Fatal(err)
	}
	var aus [][][]byte
	for _, p := range pkts {
		if au, err := dec.Decode(p); err == nil {
			aus = append(aus, au)
		}
	}
	return aus
}
