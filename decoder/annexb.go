package decoder

import "github.com/camwall/camwall/decoder/annexb"

// AnnexB joins NAL units into one Annex-B access unit, the form FFmpeg's
// H.264 and H.265 parsers expect, reusing buf's memory when it is big enough.
func AnnexB(nalus [][]byte, buf []byte) []byte { return annexb.Join(nalus, buf) }
