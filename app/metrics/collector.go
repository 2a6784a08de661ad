package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/camwall/camwall/player"
)

// The wall's series. Everything per camera is labelled camera="<name>".
var (
	cameraLabel = []string{"camera"}

	descUp = prometheus.NewDesc("camwall_camera_up",
		"1 while the camera is live, else 0.", cameraLabel, nil)
	descState = prometheus.NewDesc("camwall_camera_state",
		"The camera's state: 1 for the state it is in, 0 for the others.", []string{"camera", "state"}, nil)
	descReceived = prometheus.NewDesc("camwall_camera_received_frames_total",
		"Access units (frames) received from the camera.", cameraLabel, nil)
	descDecoded = prometheus.NewDesc("camwall_camera_decoded_frames_total",
		"Frames decoded.", cameraLabel, nil)
	descPainted = prometheus.NewDesc("camwall_camera_painted_frames_total",
		"Pictures of the camera the window drew.", cameraLabel, nil)
	descDropped = prometheus.NewDesc("camwall_camera_dropped_access_units_total",
		"Access units dropped before decoding (queue full, or waiting for a keyframe).", cameraLabel, nil)
	descCorrupt = prometheus.NewDesc("camwall_camera_corrupt_access_units_total",
		"Access units the decoder rejected or found damaged.", cameraLabel, nil)
	descBitrate = prometheus.NewDesc("camwall_camera_bitrate_bits_per_second",
		"Bitrate received over the last second.", cameraLabel, nil)
	descLatency = prometheus.NewDesc("camwall_camera_latency_seconds",
		"Capture to display-ready time of the last frame; absent without RTCP sender reports.", cameraLabel, nil)
	descLastPaint = prometheus.NewDesc("camwall_camera_last_paint_seconds",
		"Seconds since the window last drew a new picture of the camera; absent before the first.", cameraLabel, nil)
	descReconnects = prometheus.NewDesc("camwall_camera_reconnects_total",
		"Connection attempts after the first (every retry after the session ended or failed to connect).", cameraLabel, nil)
	descRecording = prometheus.NewDesc("camwall_camera_recording",
		"1 while the camera is recording, else 0.", cameraLabel, nil)
	descRecordBytes = prometheus.NewDesc("camwall_camera_recorded_bytes_total",
		"Bytes of audio and video the current recording wrote (starts again with each recording).", cameraLabel, nil)
	descDecoder = prometheus.NewDesc("camwall_camera_decoder",
		"1, labelled with the decoder the camera's pictures come from: the GPU's (VAAPI, NVDEC, D3D11VA, VideoToolbox) or software.", []string{"camera", "decoder"}, nil)
	descUIPaint = prometheus.NewDesc("camwall_ui_last_paint_seconds",
		"Seconds since the UI last refreshed the window; absent before the first refresh.", nil, nil)
)

// collector turns the wall's snapshot into series at every scrape, so that
// what /metrics shows is the wall as it is: a camera removed from the wall
// has no series left behind.
type collector struct {
	src Source
	now func() time.Time
}

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descUp, descState, descReceived, descDecoded, descPainted, descDropped,
		descCorrupt, descBitrate, descLatency, descLastPaint, descReconnects, descRecording, descRecordBytes, descDecoder, descUIPaint} {
		ch <- d
	}
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	w := c.src.Snapshot()
	now := c.now()
	if !w.LastPaint.IsZero() {
		ch <- prometheus.MustNewConstMetric(descUIPaint, prometheus.GaugeValue, now.Sub(w.LastPaint).Seconds())
	}
	for _, cam := range w.Cameras {
		gauge := func(d *prometheus.Desc, v float64) {
			ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, cam.Name)
		}
		counter := func(d *prometheus.Desc, v uint64) {
			ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), cam.Name)
		}
		gauge(descUp, bit(cam.State == player.StateLive))
		// Every state, so that a query can ask for a state a camera is not in.
		for s := player.StateIdle; s <= player.StateClosed; s++ {
			ch <- prometheus.MustNewConstMetric(descState, prometheus.GaugeValue, bit(cam.State == s), cam.Name, s.String())
		}
		counter(descReceived, cam.Received)
		counter(descDecoded, cam.Decoded)
		counter(descPainted, cam.Painted)
		counter(descDropped, cam.Dropped)
		counter(descCorrupt, cam.Corrupt)
		gauge(descBitrate, cam.Bitrate)
		if cam.Latency > 0 {
			gauge(descLatency, cam.Latency.Seconds())
		}
		if !cam.LastPaint.IsZero() {
			gauge(descLastPaint, now.Sub(cam.LastPaint).Seconds())
		}
		counter(descReconnects, cam.Reconnects)
		gauge(descRecording, bit(cam.Recording))
		counter(descRecordBytes, cam.RecordBytes)
		decoder := cam.Hardware
		if decoder == "" {
			decoder = "software"
		}
		ch <- prometheus.MustNewConstMetric(descDecoder, prometheus.GaugeValue, 1, cam.Name, decoder)
	}
}

func bit(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
