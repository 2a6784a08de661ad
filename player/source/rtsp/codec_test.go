package rtsp

import (
	"bytes"
	"errors"
	"testing"

	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"

	"github.com/camwall/camwall/player/source"
)

func video(formats ...format.Format) *description.Media {
	return &description.Media{Type: description.MediaTypeVideo, Formats: formats}
}

func audio(formats ...format.Format) *description.Media {
	return &description.Media{Type: description.MediaTypeAudio, Formats: formats}
}

var (
	vp8   = &format.VP8{PayloadTyp: 97}
	h264f = &format.H264{PayloadTyp: 96, PacketizationMode: 1}
	h265f = &format.H265{PayloadTyp: 98}
	mjpeg = &format.MJPEG{}
	aac   = &format.MPEG4Audio{PayloadTyp: 99, SizeLength: 13, IndexLength: 3, IndexDeltaLength: 3}
)

func TestPickVideoTakesTheFirstPlayableFormatTheCameraOffers(t *testing.T) {
	tests := []struct {
		name   string
		medias []*description.Media
		want   string
	}{
		{"H.264 alone", []*description.Media{video(h264f)}, "H.264"},
		{"H.265 listed before H.264", []*description.Media{video(h265f), video(h264f)}, "H.265"},
		{"unsupported video skipped", []*description.Media{video(vp8), video(mjpeg)}, "MJPEG"},
		{"several formats in one media", []*description.Media{video(vp8, h264f)}, "H.264"},
		{"audio first", []*description.Media{audio(aac), video(h265f)}, "H.265"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			track, err := pickVideo(&description.Session{Medias: tc.medias})
			if err != nil {
				t.Fatal(err)
			}
			if got := track.dep.codec().String(); got != tc.want {
				t.Errorf("picked %s, want %s", got, tc.want)
			}
		})
	}
}

func TestNothingPlayableIsExplained(t *testing.T) {
	tests := []struct {
		name   string
		medias []*description.Media
		reason string
		is     error
	}{
		{"VP8 only", []*description.Media{video(vp8), audio(aac)},
			"unsupported codec: the camera sends VP8; camwall plays H.264, H.265 and MJPEG", source.ErrUnsupportedCodec},
		{"audio only", []*description.Media{audio(aac)}, "the camera sends no video (only MPEG-4 Audio)", source.ErrNoVideo},
		{"nothing", nil, "the camera sends no video (nothing at all)", source.ErrNoVideo},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := pickVideo(&description.Session{Medias: tc.medias})
			var e *source.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want an *Error", err)
			}
			if e.Reason != tc.reason || !errors.Is(err, tc.is) || !e.SlowRetry {
				t.Errorf("got %q (slow retry %v, %v), want %q, slow retry, %v", e.Reason, e.SlowRetry, e.Err, tc.reason, tc.is)
			}
		})
	}
}

// NAL units with just a header byte, enough for the parameter-set logic.
var (
	h264SPS, h264PPS, h264IDR, h264P = []byte{0x67, 1}, []byte{0x68, 1}, []byte{0x65, 1}, []byte{0x41, 1}
	h264SPS2, h264PPS2               = []byte{0x67, 2}, []byte{0x68, 2}
	h265VPS, h265SPS, h265PPS        = []byte{32 << 1, 1, 1}, []byte{33 << 1, 1, 1}, []byte{34 << 1, 1, 1}
	h265SPS2                         = []byte{33 << 1, 1, 2}
	h265IDR, h265CRA, h265P          = []byte{19 << 1, 1}, []byte{21 << 1, 1}, []byte{1 << 1, 1}
)

func TestKeyframesGetTheLatestParameterSets(t *testing.T) {
	h264, h265 := h264Params(h264SPS, h264PPS), h265Params(h265VPS, h265SPS, h265PPS)
	tests := []struct {
		name string
		with func(nalus [][]byte, key bool) [][]byte
		in   [][]byte
		key  bool
		want [][]byte
	}{
		{"H.264 keyframe without them gets the SDP's", h264.apply, [][]byte{h264IDR}, true, [][]byte{h264SPS, h264PPS, h264IDR}},
		{"H.264 P-frame is left alone", h264.apply, [][]byte{h264P}, false, [][]byte{h264P}},
		{"H.264 keyframe with its own is left alone", h264.apply, [][]byte{h264SPS2, h264PPS2, h264IDR}, true, [][]byte{h264SPS2, h264PPS2, h264IDR}},
		{"H.264 later keyframe gets the in-band ones", h264.apply, [][]byte{h264IDR}, true, [][]byte{h264SPS2, h264PPS2, h264IDR}},
		{"H.265 IDR without them gets the SDP's", h265.apply, [][]byte{h265IDR}, true, [][]byte{h265VPS, h265SPS, h265PPS, h265IDR}},
		{"H.265 P-frame is left alone", h265.apply, [][]byte{h265P}, false, [][]byte{h265P}},
		{"H.265 new SPS in band", h265.apply, [][]byte{h265SPS2, h265CRA}, true, [][]byte{h265VPS, h265PPS, h265SPS2, h265CRA}},
		{"H.265 later CRA gets the in-band SPS", h265.apply, [][]byte{h265CRA}, true, [][]byte{h265VPS, h265SPS2, h265PPS, h265CRA}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.with(tc.in, tc.key)
			if len(got) != len(tc.want) {
				t.Fatalf("got %x, want %x", got, tc.want)
			}
			for i := range got {
				if !bytes.Equal(got[i], tc.want[i]) {
					t.Fatalf("got %x, want %x", got, tc.want)
				}
			}
		})
	}
}
