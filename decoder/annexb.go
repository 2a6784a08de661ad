package decoder

// AnnexB joins NAL units into one Annex-B access unit, the form FFmpeg's
// H.264 and H.265 parsers expect, reusing buf's memory when it is big enough.
func AnnexB(nalus [][]byte, buf []byte) []byte {
	n := 0
	for _, nalu := range nalus {
		n += 4 + len(nalu)
	}
	if cap(buf) < n {
		buf = make([]byte, 0, n)
	}
	buf = buf[:0]
	for _, nalu := range nalus {
		buf = append(buf, 0, 0, 0, 1)
		buf = append(buf, nalu...)
	}
	return buf
}
