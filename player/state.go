package player

import "time"

// State is where a camera session is in its life.
type State int

// Session states, in the order a healthy session goes through them.
const (
	StateIdle State = iota
	StateConnecting
	StateLive
	// StateReconnecting: the session ended and will be retried at RetryAt.
	StateReconnecting
	// StateFailed: the configuration itself is wrong (a URL that does not
	// parse, an unknown scheme); retrying cannot help.
	StateFailed
	StateClosed
)

func (s State) String() string {
	switch s {
	case StateIdle:
		return "idle"
	case StateConnecting:
		return "connecting"
	case StateLive:
		return "live"
	case StateReconnecting:
		return "reconnecting"
	case StateFailed:
		return "failed"
	case StateClosed:
		return "closed"
	default:
		return "unknown"
	}
}

// Status is a snapshot of a session that the UI reads without locking; the
// session replaces it as a whole on every change and once a second.
type Status struct {
	State State
	// Reason is the user-facing cause when State is StateReconnecting or
	// StateFailed. It never contains credentials.
	Reason string
	// RetryAt is when the next connection attempt starts (StateReconnecting).
	RetryAt time.Time

	Codec         string
	Width, Height int // source resolution
	// Decoder says which decoder decodes and why software when hardware was
	// asked for: "h264 (VAAPI)", "h264 (software)", "h264 (software): no
	// VAAPI device: /dev/dri/renderD128 missing". "" before the first
	// decoder opened.
	Decoder string
	// Hardware is the GPU decoder at work as users know it ("VAAPI",
	// "NVDEC", "D3D11VA", "VideoToolbox"); "" in software.
	Hardware string
	// Audio is the codec of the camera's audio, recorded with the video
	// ("aac", "opus", "pcm_alaw", "pcm_mulaw"); "" for a camera without
	// audio camwall records.
	Audio string
	// Transport is how an RTSP stream travels ("UDP", "TCP"), "" for other
	// sources; TransportNote says why UDP was given up when the automatic
	// transport plays over TCP ("UDP unavailable: …; playing over TCP"), ""
	// otherwise. Both outlive reconnections: the next attempt replaces them.
	Transport, TransportNote string
	// LightDecode is set while the decoder skips the deblocking filter,
	// because the tile shows the camera at half its size or less (see
	// lightDecode); snapshots are decoded in full all the same.
	LightDecode bool

	ReceivedFPS float64 // access units received per second
	DecodedFPS  float64 // frames decoded per second
	Bitrate     float64 // received payload, bits per second
	Dropped     uint64  // access units dropped since start (queue full or waiting for a keyframe)
	Corrupt     uint64  // access units FFmpeg rejected, or found damaged and concealed
	// Received and Decoded count the access units received and the frames
	// decoded since the session started, across reconnections.
	Received, Decoded uint64
	// Latency is the last frame's capture-to-display-ready time, from RTCP
	// sender reports; zero when the source sends none.
	Latency time.Duration
	// Reconnects counts the connection attempts after the first: one per
	// retry, after an attempt that failed to connect as after one that had
	// been live, so it keeps growing while a camera stays down.
	Reconnects uint64

	// Recording is set while a recording runs (Session.StartRecording);
	// RecordFile is the file being written, "" between files (waiting for a
	// keyframe, or after an error). RecordError is the last write error,
	// cleared once writing resumes; viewing goes on regardless.
	// RecordDropped counts access units the recording lost because the
	// disk did not keep up. RecordBytes counts the audio and video the
	// running recording has written into its files (the streams' bytes, not
	// the container's), from zero at each StartRecording.
	Recording     bool
	RecordFile    string
	RecordError   string
	RecordDropped uint64
	RecordBytes   uint64
}
