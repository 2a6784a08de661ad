package player

import (
	"image"
	"sync"
)

// FrameSlot hands decoded pictures from a session to the UI, keeping at most
// the newest one. Buffers circulate between three owners (the decoder writing
// a spare, the slot holding the latest, the UI showing one), so the image the
// UI has handed to the GPU is never written while it is shown, and a steady
// stream allocates nothing.
type FrameSlot struct {
	mu     sync.Mutex
	latest *image.RGBA
	seq    uint64
	spares []*image.RGBA
}

// maxSpares bounds the memory a slot keeps: enough for the decoder to always
// find a free buffer while the slot and the UI each hold one.
const maxSpares = 2

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

// Publish makes img the newest picture. The caller must not touch img
// afterwards. A picture the UI never took is recycled.
func (s *FrameSlot) Publish(img *image.RGBA) {
	s.mu.Lock()
	old := s.latest
	s.latest = img
	s.seq++
	s.mu.Unlock()
	if old != nil {
		s.Release(old)
	}
}

// Take returns the newest picture if one was published since the last Take.
// The caller owns it until it gives it back with Release.
func (s *FrameSlot) Take() (*image.RGBA, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	img := s.latest
	s.latest = nil
	return img, img != nil
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
