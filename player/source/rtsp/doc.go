// Package rtsp receives cameras over RTSP and RTSPS with gortsplib's client
// and words its own failures (status codes, timeouts, TLS). The
// codec-specific part, RTP packets to access units, is a depacketizer
// (nal.go for H.264/H.265, mjpeg.go).
package rtsp
