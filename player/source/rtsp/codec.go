package rtsp

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/pion/rtp"

	"github.com/camwall/camwall/decoder"
	"github.com/camwall/camwall/player/source"
)

// depacketizer turns the RTP packets of one video format into access units
// the decoder takes. One exists per connection attempt; it runs on
// gortsplib's reader goroutine only.
type depacketizer interface {
	codec() decoder.Codec
	// decode consumes pkt, whose access unit has presentation time pts, and
	// returns the access unit it completes (Annex-B for H.264/H.265, a JPEG
	// for MJPEG), its decoding time and whether the decoder can start
	// there. A nil unit means more packets are needed, or that pkt was
	// dropped for a reason already counted or not worth a log line.
	decode(pkt *rtp.Packet, pts int64) (au []byte, dts int64, key bool, err error)
}

// videoTrack is the stream a session plays from what the camera offers.
type videoTrack struct {
	media  *description.Media
	format format.Format
	dep    depacketizer
}

// playedCodecs is what the user is told camwall plays, in words.
const playedCodecs = "H.264, H.265 and MJPEG"

// pickVideo takes the first video format the camera offers, in the order of
// its SDP, among those camwall decodes: cameras list their preferred (main)
// stream first.
func pickVideo(desc *description.Session) (*videoTrack, error) {
	for _, m := range desc.Medias {
		for _, f := range m.Formats {
			var dep depacketizer
			var err error
			switch f := f.(type) {
			case *format.H264:
				dep, err = newH264Depacketizer(f)
			case *format.H265:
				dep, err = newH265Depacketizer(f)
			case *format.MJPEG:
				dep, err = newMJPEGDepacketizer(f)
			default:
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("set up the %s depacketizer: %w", f.Codec(), err)
			}
			return &videoTrack{media: m, format: f, dep: dep}, nil
		}
	}
	return nil, unsupported(desc.Medias)
}

// unsupported explains an SDP with nothing camwall can play. Changing a
// camera's codec takes a person, hence the slow retry.
func unsupported(medias []*description.Media) *source.Error {
	var video, other []string
	for _, m := range medias {
		for _, f := range m.Formats {
			name := f.Codec()
			if m.Type == description.MediaTypeVideo {
				if !slices.Contains(video, name) {
					video = append(video, name)
				}
			} else if !slices.Contains(other, name) {
				other = append(other, name)
			}
		}
	}
	if len(video) > 0 {
		return &source.Error{
			Reason:    "unsupported codec: the camera sends " + strings.Join(video, ", ") + "; camwall plays " + playedCodecs,
			SlowRetry: true, Err: source.ErrUnsupportedCodec,
		}
	}
	what := "nothing at all"
	if len(other) > 0 {
		what = "only " + strings.Join(other, ", ")
	}
	return &source.Error{Reason: "the camera sends no video (" + what + ")", SlowRetry: true, Err: source.ErrNoVideo}
}
