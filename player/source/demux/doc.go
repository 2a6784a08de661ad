// Package demux plays any input FFmpeg's demuxer opens: udp:// and tcp://
// MPEG-TS, http:// MJPEG (the multipart kind IP cameras serve), and files,
// which play at their own frame rate and loop, so that a file can stand in
// for a camera. A watchdog ends an attempt that receives nothing.
package demux
