package player

import "testing"

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
