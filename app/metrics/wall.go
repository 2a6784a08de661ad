// Package metrics serves the wall's state over HTTP, for a wall watched from
// elsewhere: /metrics for Prometheus, and /healthz for anything that asks
// whether the window is still painting. It sees the wall only through
// Source, a snapshot of plain values the UI publishes, so that a scrape
// never touches a widget or waits on the UI goroutine.
package metrics

import (
	"time"

	"github.com/camwall/camwall/player"
)

// Source is what the server reads at every request. Snapshot is called
// from the server's goroutines, and must be cheap and safe for concurrent
// use: the wall hands over a value it published, and does not compute one.
type Source interface {
	Snapshot() Wall
}

// Wall is the state of the wall at its last refresh.
type Wall struct {
	// LastPaint is when the UI goroutine last refreshed the window; zero
	// before its first refresh.
	LastPaint time.Time
	// Cameras on the wall, in grid order. A camera no longer shown is no
	// longer here, and its series leave /metrics with it.
	Cameras []Camera
}

// Camera is one camera's figures. Name is its label in every series: never
// a URL, which may hold a password.
type Camera struct {
	Name  string
	State player.State
	// Received counts access units received and Decoded frames decoded,
	// since the camera's session started (player.Status); Painted counts
	// the pictures of it the window drew (what a person saw) since it came
	// on the wall.
	Received, Decoded, Painted uint64
	// Dropped and Corrupt are access units dropped (queue full, waiting for
	// a keyframe) and rejected by the decoder.
	Dropped, Corrupt uint64
	// Bitrate received, bits per second.
	Bitrate float64
	// Latency from capture to display-ready; zero when the camera sends no
	// capture times (no RTCP sender reports), and then not reported.
	Latency time.Duration
	// LastPaint is when the window last drew a new picture of this camera,
	// to within a second (the wall counts paints once a second); zero before
	// the first, and then not reported.
	LastPaint time.Time
	// Reconnects counts connection attempts after the first
	// (player.Status.Reconnects).
	Reconnects uint64
	// Recording is set while the camera records; RecordBytes is what the
	// current recording has written (player.Status.RecordBytes).
	Recording   bool
	RecordBytes uint64
	// Hardware is the GPU decoder the camera's pictures come from ("VAAPI",
	// "NVDEC", …), "" while it decodes in software (player.Status.Hardware).
	Hardware string
}
