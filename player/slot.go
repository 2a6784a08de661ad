package player

import (
	"image"
	"sync"
	"time"
)

// FrameSlot hands decoded pictures from a session to the UI, each with the
// time it is due on screen (presentClock), keeping the few not yet shown.
// Buffers circulate between three owners (the decoder writing a spare, the
// slot holding the pending ones, the UI showing one), so the image the UI
// has handed to the GPU is never written while it is shown, and a steady
// stream allocates nothing.
type FrameSlot struct {
	mu      sync.Mutex
	pending []duePicture // in the order published, and by due time (PublishAt)
	seq     uint64
	skipped uint64
	spares  []*image.RGBA
}

type duePicture struct {
	img *image.RGBA
	due time.Time
}

const (
	// maxPending bounds the pictures waiting for their time: a jitter
	// allowance of up to maxJitter holds about three frames of a 30 fps
	// camera. A fourth replaces the oldest, which is skipped.
	maxPending = 3
	// maxSpares bounds the memory a slot keeps: enough for the decoder to
	// always find a free buffer while the slot and the UI hold theirs.
	maxSpares = 3
)

// Spare returns a w×h image the caller may write; it is recycled when a
// buffer of that size is free.
func (s *FrameSlot) Spare(w, h int) *image.RGBA {
	s.mu.Lock()
	for len(s.spares) > 0 {
		img := s.spares[len(s.spares)-1]
		s.spares = s.spares[:len(s.spares)-1]
		if img.Rect.Dx() == w && img.Rect.Dy() == h {
			s.mu.Unlock()
			return img
		}
		// A buffer of an old size (the tile was resized): let the GC have it.
	}
	s.mu.Unlock()
	return image.NewRGBA(image.Rect(0, 0, w, h))
}

// Publish makes img the newest picture, due at once. The caller must not
// touch img afterwards.
func (s *FrameSlot) Publish(img *image.RGBA) { s.PublishAt(img, time.Time{}) }

// PublishAt adds img to the pictures waiting to be shown, due at due (the
// zero time: at once). The caller must not touch img afterwards.
func (s *FrameSlot) PublishAt(img *image.RGBA, due time.Time) {
	s.mu.Lock()
	var old *image.RGBA
	if len(s.pending) == maxPending {
		old = s.pending[0].img
		s.pending = append(s.pending[:0], s.pending[1:]...)
		s.skipped++
	}
	// A newer picture is never shown after an older one: an older one due
	// later (the clock's estimate fell by more than a frame period) is due
	// with the newer, so it is skipped rather than shown out of order.
	for i := range s.pending {
		if s.pending[i].due.After(due) {
			s.pending[i].due = due
		}
	}
	s.pending = append(s.pending, duePicture{img: img, due: due})
	s.seq++
	s.mu.Unlock()
	if old != nil {
		s.Release(old)
	}
}

// Take returns the newest picture due by now, if one was published since
// the last Take. The caller owns it until it gives it back with Release.
func (s *FrameSlot) Take() (*image.RGBA, bool) { return s.TakeDue(time.Now()) }

// TakeDue returns the newest picture due by t; older ones due by t were
// never shown and are skipped (SkippedPictures counts them). The caller owns
// the picture until it gives it back with Release.
func (s *FrameSlot) TakeDue(t time.Time) (*image.RGBA, bool) {
	s.mu.Lock()
	n := 0
	for n < len(s.pending) && !s.pending[n].due.After(t) {
		n++
	}
	if n == 0 {
		s.mu.Unlock()
		return nil, false
	}
	img := s.pending[n-1].img
	var skipped []*image.RGBA
	for _, p := range s.pending[:n-1] {
		skipped = append(skipped, p.img)
	}
	s.skipped += uint64(n - 1)
	s.pending = append(s.pending[:0], s.pending[n:]...)
	s.mu.Unlock()
	for _, old := range skipped {
		s.Release(old)
	}
	return img, true
}

// NextDue is when the earliest picture waiting is due; false when none
// waits.
func (s *FrameSlot) NextDue() (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.pending) == 0 {
		return time.Time{}, false
	}
	return s.pending[0].due, true
}

// Release gives back a picture the caller no longer shows.
func (s *FrameSlot) Release(img *image.RGBA) {
	if img == nil {
		return
	}
	s.mu.Lock()
	if len(s.spares) < maxSpares {
		s.spares = append(s.spares, img)
	}
	s.mu.Unlock()
}

// Published counts the pictures published so far.
func (s *FrameSlot) Published() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seq
}

// SkippedPictures counts the pictures published but never taken: replaced
// by a newer one due as early, because the window did not repaint between
// them.
func (s *FrameSlot) SkippedPictures() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.skipped
}
