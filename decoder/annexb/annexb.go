// Package annexb splits and joins H.264/H.265 Annex-B byte streams (NAL
// units behind 00 00 01 or 00 00 00 01 start codes). It is plain Go, with no
// cgo, so that assets, storage and decoder share one implementation.
package annexb

// Split returns the non-empty NAL units of an Annex-B stream, without start
// codes, sharing memory with b.
func Split(b []byte) [][]byte {
	var out [][]byte
	start := -1
	for i := 0; i+2 < len(b); {
		if b[i] == 0 && b[i+1] == 0 && b[i+2] == 1 {
			if start >= 0 {
				out = appendNALU(out, b[start:i])
			}
			i += 3
			start = i
			continue
		}
		i++
	}
	if start >= 0 && start < len(b) {
		out = appendNALU(out, b[start:])
	}
	return out
}

// appendNALU trims the zero bytes that belong to the next start code (the
// leading zero of a 4-byte start code, or trailing_zero_8bits): a NAL unit
// never ends in a zero byte, its rbsp_trailing_bits end in a 1.
func appendNALU(out [][]byte, n []byte) [][]byte {
	for len(n) > 0 && n[len(n)-1] == 0 {
		n = n[:len(n)-1]
	}
	if len(n) == 0 {
		return out
	}
	return append(out, n)
}

// Join writes NAL units as one Annex-B access unit with 4-byte start codes,
// the form FFmpeg's H.264 and H.265 parsers expect, reusing buf's memory
// when it is big enough.
func Join(nalus [][]byte, buf []byte) []byte {
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
