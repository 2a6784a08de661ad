//go:build !linux

package decoder

// threadID is 0 where camwall knows no thread id: FFmpeg's messages are
// then attributed by the object they are about only.
func threadID() int { return 0 }
