package decoder

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"strings"
	"testing"

	"github.com/camwall/camwall/assets"
)

// A stream whose pictures are larger than the decoder's MaxPixels fails with
// ErrTooLarge, naming the size, instead of being decoded.
func TestDecodeRefusesPicturesOverMaxPixels(t *testing.T) {
	aus, err := assets.DemoAccessUnits()
	if err != nil {
		t.Fatal(err)
	}
	clip := assets.DemoClip
	d, err := New(Config{Codec: H264, MaxPixels: int64(clip.Width*clip.Height) - 1})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	err = d.Decode(AnnexB(aus[0], nil), 0, func(*Frame) error {
		t.Error("a picture came out")
		return nil
	})
	var large *TooLargeError
	if !errors.Is(err, ErrTooLarge) || !errors.As(err, &large) {
		t.Fatalf("Decode: %v, want ErrTooLarge", err)
	}
	if large.Width != clip.Width || large.Height != clip.Height {
		t.Errorf("refused as %dx%d, want %dx%d", large.Width, large.Height, clip.Width, clip.Height)
	}
	t.Logf("reason: %v", large)
}

// jpegSized is a real JPEG whose header claims w×h: the decoder sizes its
// picture from the header before it reads a single scan. It is padded to a
// megabyte, since FFmpeg rejects as invalid a JPEG far too short for the
// size it claims.
func jpegSized(t *testing.T, w, h uint16) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 16, 16)), nil); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	i := bytes.Index(b, []byte{0xff, 0xc0}) // SOF0: length(2) precision(1) height(2) width(2)
	if i < 0 {
		t.Fatal("no SOF0 marker")
	}
	b[i+5], b[i+6], b[i+7], b[i+8] = byte(h>>8), byte(h), byte(w>>8), byte(w)
	return append(b, make([]byte, 1<<20+1<<16)...)
}

// Without a MaxPixels, the default holds: a header asking for 9000×9000 is
// refused before anything is allocated, one at the default's limit is not.
func TestDefaultMaxPixelsRefusesHugeHeaders(t *testing.T) {
	tests := []struct {
		name    string
		w, h    uint16
		refused bool
	}{
		{"9000x9000, a hostile header", 9000, 9000, true},
		{"12000x12000", 12000, 12000, true},
		{"8192x4096, a panoramic camera", 8192, 4096, false},
		{"7680x4320, 8K UHD", 7680, 4320, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := New(Config{Codec: MJPEG})
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			err = d.Decode(jpegSized(t, tc.w, tc.h), 0, func(*Frame) error { return nil })
			if got := errors.Is(err, ErrTooLarge); got != tc.refused {
				t.Fatalf("Decode: %v; refused for its size = %v, want %v", err, got, tc.refused)
			}
			if tc.refused && !strings.Contains(err.Error(), "35.4 million pixels") {
				t.Errorf("reason %q does not say the limit", err)
			}
		})
	}
}
