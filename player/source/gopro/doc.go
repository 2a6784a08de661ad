// Package gopro plays a GoPro: it drives the camera through player/gopro's
// HTTP API and receives its stream through the demux source (MPEG-TS over
// UDP) or the rtsp source (a webcam started with RTSP).
package gopro
