package player

import (
	"testing"
	"time"
)

func TestFrameSlotNeverHandsOutTheShownBuffer(t *testing.T) {
	var s FrameSlot
	a := s.Spare(4, 4)
	s.Publish(a)
	shown, ok := s.Take()
	if !ok || shown != a {
		t.Fatal("Take did not return the published picture")
	}
	if _, ok := s.Take(); ok {
		t.Fatal("the same picture was taken twice")
	}
	// While the UI shows `shown`, the decoder must get other buffers.
	for i := 0; i < 5; i++ {
		b := s.Spare(4, 4)
		if b == shown {
			t.Fatalf("round %d: Spare returned the buffer on screen", i)
		}
		s.Publish(b)
	}
	next, _ := s.Take()
	s.Release(shown)
	if next == shown {
		t.Fatal("took the buffer that was on screen")
	}
}

func TestFrameSlotRecyclesSameSizeOnly(t *testing.T) {
	var s FrameSlot
	a := s.Spare(8, 8)
	s.Release(a)
	if b := s.Spare(8, 8); b != a {
		t.Error("a free buffer of the same size was not reused")
	}
	s.Release(a)
	if c := s.Spare(16, 8); c == a || c.Bounds().Dx() != 16 {
		t.Error("a buffer of another size was handed out")
	}
}

// Pictures wait for their due time: none is taken early, each is taken in
// turn, and one replaced before a repaint is counted as skipped.
func TestFrameSlotHandsOutPicturesAtTheirDueTime(t *testing.T) {
	var s FrameSlot
	t0 := time.Unix(1_000_000, 0)
	a, b, c := s.Spare(4, 4), s.Spare(4, 4), s.Spare(4, 4)
	s.PublishAt(a, t0)
	s.PublishAt(b, t0.Add(33*time.Millisecond))
	if due, ok := s.NextDue(); !ok || !due.Equal(t0) {
		t.Fatalf("next due %v %v, want %v", due, ok, t0)
	}
	if _, ok := s.TakeDue(t0.Add(-time.Millisecond)); ok {
		t.Fatal("a picture was taken before it was due")
	}
	if got, _ := s.TakeDue(t0); got != a {
		t.Fatal("the first picture was not the one due first")
	}
	if got, _ := s.TakeDue(t0.Add(33 * time.Millisecond)); got != b {
		t.Fatal("the second picture was not taken in its turn")
	}
	if n := s.SkippedPictures(); n != 0 {
		t.Errorf("%d pictures skipped, want none", n)
	}
	s.PublishAt(c, t0.Add(66*time.Millisecond))
	d := s.Spare(4, 4)
	s.PublishAt(d, t0.Add(99*time.Millisecond))
	if got, _ := s.TakeDue(t0.Add(time.Second)); got != d {
		t.Fatal("a late repaint did not get the newest picture due")
	}
	if n := s.SkippedPictures(); n != 1 {
		t.Errorf("%d pictures skipped, want 1", n)
	}
	if _, ok := s.NextDue(); ok {
		t.Error("a picture still waits after all were taken or skipped")
	}
}

func TestFrameSlotNeverShowsANewerPictureBeforeAnOlderOne(t *testing.T) {
	var s FrameSlot
	t0 := time.Unix(1_000_000, 0)
	older, newer := s.Spare(4, 4), s.Spare(4, 4)
	// The clock's estimate fell: the newer picture is due before the older.
	s.PublishAt(older, t0.Add(100*time.Millisecond))
	s.PublishAt(newer, t0.Add(40*time.Millisecond))
	if due, _ := s.NextDue(); !due.Equal(t0.Add(40 * time.Millisecond)) {
		t.Errorf("next due %v, want the newer picture's due time", due)
	}
	if got, _ := s.TakeDue(t0.Add(40 * time.Millisecond)); got != newer {
		t.Fatal("the newer picture was not shown when it was due")
	}
	if _, ok := s.TakeDue(t0.Add(time.Second)); ok {
		t.Error("the older picture was shown after the newer one")
	}
	if n := s.SkippedPictures(); n != 1 {
		t.Errorf("%d pictures skipped, want the older one", n)
	}
}
