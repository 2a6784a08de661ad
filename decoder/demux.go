package decoder

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/asticode/go-astiav"
)

// Demuxer reads the video of any input FFmpeg opens (udp:// MPEG-TS, http://
// MJPEG, files) as access units for a Decoder. It is not safe for concurrent
// use, except Interrupt: a camera session owns one and reads it from its own
// goroutine, and anyone may interrupt it.
type Demuxer struct {
	fc          *astiav.FormatContext
	interrupter *astiav.IOInterrupter
	pkt         *astiav.Packet                 // reused for every read
	bsf         *astiav.BitStreamFilterContext // nil when packets are already Annex-B
	bsfPending  bool                           // bsf may hold more output

	used   bool // Open was called: a FormatContext opens once
	opened bool // Open succeeded: the input must be closed
	name   string
	index  int
	// audio is the audio stream read beside the video; index -1 for none.
	audio struct {
		index int
		tb    astiav.Rational
		info  AudioInfo
	}
	codec Codec
	tb    astiav.Rational
	clock ptsClock
	// log is where FFmpeg's messages about this input go (log.go), the
	// format context being logKey.
	log    *logOwner
	logKey string
}

// DemuxOptions tune Open.
type DemuxOptions struct {
	// LowLatency is for live inputs. Open does not probe packets when the
	// header names the codec (an MPEG-TS PMT, mpjpeg), and otherwise probes
	// for 500 ms at most and drops what it read rather than hand it out
	// late. udp:// inputs get a bounded receive FIFO that drops on overrun
	// instead of failing (unless the URL sets fifo_size, overrun_nonfatal or
	// buffer_size itself).
	LowLatency bool
	// Audio also reads the input's audio, when it has a stream in a codec
	// recordings keep (AAC, Opus, G.711): Read returns its packets too,
	// marked Audio, and AudioInfo describes it.
	Audio bool
	// Name is how errors name the input. The caller passes the URL with
	// its secrets hidden (player/redact): the demuxer cannot tell which
	// parts of an input are secret. Empty means "the input".
	Name string
	// Log is the camera's logger, which FFmpeg's messages about this input
	// go to (it should scrub the camera's secrets: FFmpeg may quote the
	// URL); nil means slog.Default().
	Log *slog.Logger
}

// Packet is one access unit of the video stream.
type Packet struct {
	// Data belongs to the caller: Annex-B for H.264 and H.265, with SPS/PPS
	// (and VPS) in-band before keyframes even when the container keeps them
	// in its header; one JPEG for MJPEG.
	Data []byte
	// PTS in 90 kHz units, from the container. Where it has none, a live
	// input (mpjpeg) gets the time since Open and a file (raw H.264) counts
	// frames, so that it increases either way. Rewind never makes it go
	// back.
	PTS int64
	// DTS is the decoding time in the same units: packets come in
	// decoding order, and PTS is ahead of DTS for reordered frames
	// (B-frames). It equals PTS for packets that came without timestamps.
	DTS int64
	// Audio marks a packet of the audio stream (DemuxOptions.Audio): one
	// frame, or for ADTS AAC several, as the container carries it.
	Audio bool
	// Key is a keyframe: decoding can start here. Always true for MJPEG.
	Key bool
}

// ptsHz is the clock Packet.PTS counts in, RTP's video clock, so that packets
// from every source carry the same unit.
const ptsHz = 90000

var pts90k = astiav.NewRational(1, ptsHz)

// Live low-latency settings.
const (
	// lowLatencyProbeSize bounds how far the MPEG-TS header search reads for
	// the PMT, which names the codec. The search stops at the first PMT, so
	// a large bound costs nothing when PMTs are frequent, while 32 KiB gave
	// up before the PMT of a 2 Mbit/s feed that sends one a second (Open
	// found no stream). FFmpeg's default is 5 MB.
	lowLatencyProbeSize = 512 << 10
	// lowLatencyAnalyze bounds how long Open reads to learn about the
	// streams, FFmpeg's default being 5 s.
	lowLatencyAnalyze = 500 * time.Millisecond
	// udpFIFOPackets is FFmpeg's udp fifo_size, counted in 188-byte MPEG-TS
	// packets: 1 MiB, 2 s at 4 Mbit/s (FFmpeg's default is 5 MiB). It
	// absorbs a reader that stalls briefly; more would only turn into
	// latency.
	udpFIFOPackets = 1 << 20 / 188
	// udpSocketBuffer is the kernel receive buffer asked for; the OS may
	// give less (net.core.rmem_max on Linux).
	udpSocketBuffer = 4 << 20
)

// NewDemuxer allocates a Demuxer. Its interrupter is in place from the
// start, so that Interrupt also stops an Open that hangs on the network.
func NewDemuxer() *Demuxer {
	initLogging()
	d := &Demuxer{
		fc:          astiav.AllocFormatContext(),
		interrupter: astiav.NewIOInterrupter(),
		pkt:         astiav.AllocPacket(),
		log:         &logOwner{},
	}
	d.fc.SetIOInterrupter(d.interrupter)
	d.logKey = own(d.fc, d.log)
	return d
}

// Open opens url and selects its best video stream. A Demuxer opens once;
// to retry, make a new one.
func (d *Demuxer) Open(rawURL string, o DemuxOptions) error {
	d.name = o.Name
	if d.name == "" {
		d.name = "the input"
	}
	if d.used || d.fc == nil {
		return fmt.Errorf("open %s: demuxer already used", d.name)
	}
	d.used = true

	d.log.log = o.Log
	defer onThread(d.log)()
	kind := kindOf(rawURL)
	opts := astiav.NewDictionary()
	defer opts.Free()
	// Whatever the data turns out to be, FFmpeg reads it only with what
	// the kind of input allows (whitelist.go).
	for _, kv := range append([][2]string{{"protocol_whitelist", kind.protocols}, {"format_whitelist", kind.formats}}, kind.options...) {
		if err := opts.Set(kv[0], kv[1], 0); err != nil {
			return fmt.Errorf("open %s: setting %s: %w", d.name, kv[0], ffmpegErr(err))
		}
	}
	if o.LowLatency {
		if strings.HasPrefix(strings.ToLower(rawURL), "udp://") {
			rawURL = withUDPDefaults(rawURL)
		}
		for _, kv := range [][2]string{
			// When find_stream_info has to run (see below), the packets
			// it reads are dropped instead of handed out late.
			{"fflags", "nobuffer"},
			{"probesize", strconv.Itoa(lowLatencyProbeSize)},
			{"analyzeduration", strconv.FormatInt(lowLatencyAnalyze.Microseconds(), 10)},
		} {
			if err := opts.Set(kv[0], kv[1], 0); err != nil {
				return fmt.Errorf("open %s: setting %s: %w", d.name, kv[0], ffmpegErr(err))
			}
		}
	}
	d.log.takeError()
	if err := d.fc.OpenInput(rawURL, nil, opts); err != nil {
		// FFmpeg freed the context; Close knows. Its address may be
		// another's from now on.
		disown(d.logKey, d.log)
		d.logKey = ""
		if refusal := kind.refused(d.name, d.log.takeError()); refusal != nil && !d.interrupter.Interrupted() {
			return refusal
		}
		return d.failure("open", err)
	}
	d.opened = true
	d.clock.start = time.Now()
	d.clock.file = isFile(rawURL)

	// find_stream_info reads packets until it has decoded enough to know
	// every stream's parameters, but Decoder needs only the codec, which
	// most headers name (MP4, Matroska, mpjpeg, an MPEG-TS PMT). So a live
	// input whose codec is known skips it, and starts at the first keyframe
	// after Open. Measured on a UDP MPEG-TS feed with a 0.5 s GOP: with it
	// and nobuffer, a probe that saw the keyframe dropped it, and the first
	// frame came a GOP later; with FFmpeg's defaults, Open took 750 ms and
	// the first frames were 600 ms old. Files keep it, for the frame rate
	// that times raw streams. Its failure only matters if no video codec
	// became known.
	var infoErr error
	if !o.LowLatency || !d.knowsVideoCodec() {
		infoErr = d.fc.FindStreamInfo(nil)
	}
	if d.interrupter.Interrupted() {
		return d.failure("open", infoErr)
	}
	st, err := d.videoStream()
	if err != nil {
		if infoErr != nil {
			return d.failure("open", infoErr)
		}
		return fmt.Errorf("open %s: %w", d.name, err)
	}
	d.audio.index = -1
	if o.Audio {
		d.pickAudio()
	}
	for _, s := range d.fc.Streams() {
		if s.Index() != st.Index() && s.Index() != d.audio.index {
			s.SetDiscard(astiav.DiscardAll)
		}
	}
	d.index = st.Index()
	d.tb = st.TimeBase()
	d.clock.frame = d.frameDuration(st)
	if err := d.openBSF(st); err != nil {
		return fmt.Errorf("open %s: %w", d.name, err)
	}
	return nil
}

// videoStream picks the stream to play: FFmpeg's best video stream if
// camwall decodes it, else the first video stream it decodes. Cover art
// (a picture attached to an audio file) is not video.
func (d *Demuxer) videoStream() (*astiav.Stream, error) {
	best, _, _ := d.fc.FindBestStream(astiav.MediaTypeVideo, -1, -1)
	if best != nil && playable(best) {
		d.codec = codecOf(best.CodecParameters().CodecID())
		return best, nil
	}
	var firstVideo *astiav.Stream
	var found []string
	for _, s := range d.fc.Streams() {
		cp := s.CodecParameters()
		if cp.CodecID() == astiav.CodecIDNone {
			found = append(found, "unknown")
		} else {
			found = append(found, cp.CodecID().Name())
		}
		if cp.MediaType() != astiav.MediaTypeVideo || s.DispositionFlags().Has(astiav.DispositionFlagAttachedPic) {
			continue
		}
		if playable(s) {
			d.codec = codecOf(cp.CodecID())
			return s, nil
		}
		if firstVideo == nil {
			firstVideo = s
		}
	}
	if firstVideo != nil && firstVideo.CodecParameters().CodecID() != astiav.CodecIDNone {
		return nil, fmt.Errorf("%w %s: camwall plays H.264, H.265 and MJPEG", ErrUnsupportedCodec,
			firstVideo.CodecParameters().CodecID().Name())
	}
	if len(found) == 0 {
		return nil, ErrNoVideo
	}
	return nil, fmt.Errorf("%w (found: %s)", ErrNoVideo, strings.Join(found, ", "))
}

func (d *Demuxer) knowsVideoCodec() bool {
	for _, s := range d.fc.Streams() {
		if playable(s) {
			return true
		}
	}
	return false
}

func playable(s *astiav.Stream) bool {
	return s.CodecParameters().MediaType() == astiav.MediaTypeVideo &&
		!s.DispositionFlags().Has(astiav.DispositionFlagAttachedPic) &&
		codecOf(s.CodecParameters().CodecID()) != CodecUnknown
}

func codecOf(id astiav.CodecID) Codec {
	switch id {
	case astiav.CodecIDH264:
		return H264
	case astiav.CodecIDHevc:
		return H265
	case astiav.CodecIDMjpeg:
		return MJPEG
	default:
		return CodecUnknown
	}
}

// frameDuration guesses one frame's length at 90 kHz, to space the PTS
// across a Rewind and of files without timestamps. FFmpeg's guess comes
// first: for raw H.264 the stream's average rate is the raw demuxer's
// default of 25 and its "real" rate counts fields, while the guess reads the
// SPS's timing.
func (d *Demuxer) frameDuration(s *astiav.Stream) int64 {
	for _, r := range []astiav.Rational{d.fc.GuessFrameRate(s, nil), s.AvgFrameRate(), s.RFrameRate()} {
		if r.Num() > 0 && r.Den() > 0 {
			if d := astiav.RescaleQ(1, r.Invert(), pts90k); d > 0 {
				return d
			}
		}
	}
	return ptsHz / 30
}

// openBSF converts H.264/H.265 from length-prefixed NAL units (avcC/hvcC,
// as MP4 and Matroska store them, with SPS/PPS in the header) to Annex-B
// with the parameter sets repeated before keyframes, which is what Decoder
// and the recorder take. Inputs already in Annex-B need nothing.
func (d *Demuxer) openBSF(st *astiav.Stream) error {
	var name string
	switch d.codec {
	case H264:
		name = "h264_mp4toannexb"
	case H265:
		name = "hevc_mp4toannexb"
	default:
		return nil
	}
	if isAnnexB(st.CodecParameters().ExtraData()) {
		return nil
	}
	f := astiav.FindBitStreamFilterByName(name)
	if f == nil {
		return fmt.Errorf("FFmpeg has no %s bitstream filter", name)
	}
	bsf, err := astiav.AllocBitStreamFilterContext(f)
	if err != nil {
		return fmt.Errorf("allocating %s: %w", name, ffmpegErr(err))
	}
	if err := st.CodecParameters().Copy(bsf.InputCodecParameters()); err != nil {
		bsf.Free()
		return fmt.Errorf("setting up %s: %w", name, ffmpegErr(err))
	}
	bsf.SetInputTimeBase(st.TimeBase())
	if err := bsf.Initialize(); err != nil {
		bsf.Free()
		return fmt.Errorf("setting up %s: %w", name, ffmpegErr(err))
	}
	d.bsf = bsf
	return nil
}

// isAnnexB tells, as the mp4toannexb filters do, whether codec extradata is
// missing or already start-code prefixed.
func isAnnexB(extra []byte) bool {
	if len(extra) < 4 {
		return true
	}
	return extra[0] == 0 && extra[1] == 0 && (extra[2] == 1 || extra[2] == 0 && extra[3] == 1)
}

// Codec is the codec of the selected video stream, known after Open.
func (d *Demuxer) Codec() Codec { return d.codec }

// Read returns the next access unit of the video stream: io.EOF at the end
// of a file, an error wrapping ErrInterrupted after Interrupt.
func (d *Demuxer) Read() (Packet, error) {
	if !d.opened || d.fc == nil {
		return Packet{}, fmt.Errorf("read %s: demuxer not open", d.name)
	}
	defer onThread(d.log)()
	for {
		if d.bsfPending {
			err := d.bsf.ReceivePacket(d.pkt)
			if err == nil {
				return d.take(), nil
			}
			d.bsfPending = false
			if !errors.Is(err, astiav.ErrEagain) {
				return Packet{}, d.failure("read", err)
			}
		}
		if err := d.fc.ReadFrame(d.pkt); err != nil {
			if errors.Is(err, astiav.ErrEof) && !d.interrupter.Interrupted() {
				// The mp4toannexb filters turn each packet into one at
				// once, so there is nothing to flush out of them; sending
				// them EOF would only stop them from working after Rewind.
				return Packet{}, io.EOF
			}
			return Packet{}, d.failure("read", err)
		}
		if d.pkt.StreamIndex() == d.audio.index && d.audio.index >= 0 {
			if p, ok := d.takeAudio(); ok {
				return p, nil
			}
			continue
		}
		if d.pkt.StreamIndex() != d.index {
			d.pkt.Unref()
			continue
		}
		if d.bsf == nil {
			return d.take(), nil
		}
		// The filter takes the packet's reference and leaves d.pkt blank.
		if err := d.bsf.SendPacket(d.pkt); err != nil {
			d.pkt.Unref()
			return Packet{}, d.failure("read", err)
		}
		d.bsfPending = true
	}
}

// take turns d.pkt into a Packet and releases it.
func (d *Demuxer) take() Packet {
	p := Packet{
		Data: d.pkt.Data(), // a copy
		Key:  d.codec == MJPEG || d.pkt.Flags().Has(astiav.PacketFlagKey),
	}
	pts, dts := d.pkt.Pts(), d.pkt.Dts()
	d.pkt.Unref()
	if pts == astiav.NoPtsValue {
		pts = dts
	}
	if pts == astiav.NoPtsValue {
		p.PTS = d.clock.untimed()
		p.DTS = p.PTS
		return p
	}
	if dts == astiav.NoPtsValue {
		dts = pts
	}
	p.PTS, p.DTS = d.clock.stamp(astiav.RescaleQ(pts, d.tb, pts90k), astiav.RescaleQ(dts, d.tb, pts90k))
	return p
}

// ptsClock turns container timestamps, or their absence, into PTS that do
// not go back when a file starts over.
type ptsClock struct {
	start   time.Time
	file    bool  // the input is read at the reader's pace, not the sender's
	frame   int64 // one frame at 90 kHz
	offset  int64 // added to the container's timestamps
	max     int64 // the highest PTS handed out
	any     bool  // max is set
	rewound bool  // the next packet starts a new pass
}

func (c *ptsClock) stamp(pts, dts int64) (int64, int64) {
	if c.rewound {
		// A pass starts with the lowest DTS of the file, and every PTS
		// after it is at least its DTS, so anchoring the first DTS one
		// frame after the last pass keeps even B-frames ahead of it.
		c.rewound = false
		c.offset = c.max + c.frame - dts
	}
	pts += c.offset
	c.seen(pts)
	return pts, dts + c.offset
}

// untimed stamps a packet that came without timestamps (mpjpeg, raw H.264).
// A live input is stamped with the time since Open, when it arrived. A file
// is read at whatever pace its reader sets, so its frames are counted
// instead: a player can pace it by PTS, and a recording of it keeps its
// frame rate. Either way a PTS is at least one tick after the previous one.
func (c *ptsClock) untimed() int64 {
	c.rewound = false
	var pts int64
	switch {
	case !c.file:
		pts = time.Since(c.start).Microseconds() * ptsHz / 1e6
	case c.any:
		pts = c.max + c.frame
	}
	if c.any && pts <= c.max {
		pts = c.max + 1
	}
	c.seen(pts)
	return pts
}

func (c *ptsClock) seen(pts int64) {
	if !c.any || pts > c.max {
		c.max, c.any = pts, true
	}
}

// Rewind seeks back to the start of the input, for looping a file. The
// packets after it carry PTS that go on from the last ones.
func (d *Demuxer) Rewind() error {
	if !d.opened || d.fc == nil {
		return fmt.Errorf("rewind %s: demuxer not open", d.name)
	}
	defer onThread(d.log)()
	err := d.fc.SeekFrame(d.index, d.startTime(), astiav.NewSeekFlags(astiav.SeekFlagBackward))
	if err != nil && !d.interrupter.Interrupted() {
		// Raw streams have no timestamps to seek to.
		err = d.fc.SeekFrame(-1, 0, astiav.NewSeekFlags(astiav.SeekFlagByte))
	}
	if err != nil {
		return d.failure("rewind", err)
	}
	d.bsfPending = false
	d.clock.rewound = true
	return nil
}

func (d *Demuxer) startTime() int64 {
	for _, s := range d.fc.Streams() {
		if s.Index() == d.index {
			if t := s.StartTime(); t != astiav.NoPtsValue {
				return t
			}
		}
	}
	return 0
}

// Interrupt makes a blocked Open or Read return ErrInterrupted promptly, and
// every later one at once. It is safe from any goroutine, at any time before
// Close returns.
func (d *Demuxer) Interrupt() { d.interrupter.Interrupt() }

// Close frees everything. It may be called more than once, and after a
// failed Open.
func (d *Demuxer) Close() {
	if d.bsf != nil {
		d.bsf.Free()
		d.bsf = nil
	}
	if d.pkt != nil {
		d.pkt.Free()
		d.pkt = nil
	}
	if d.fc != nil {
		if d.opened {
			d.fc.CloseInput()
		}
		d.fc.Free() // nothing left after CloseInput or a failed open
		d.fc = nil
		disown(d.logKey, d.log)
	}
	// Interrupt after Close only writes to the Go side of the interrupter.
	d.interrupter.Free()
	releaseFreed()
}

// failure wraps an FFmpeg error with what was being done, as ErrInterrupted
// when Interrupt caused it (FFmpeg then says AVERROR_EXIT, or whatever the
// aborted call made of it).
func (d *Demuxer) failure(op string, err error) error {
	if d.interrupter.Interrupted() {
		if err == nil {
			return fmt.Errorf("%s %s: %w", op, d.name, ErrInterrupted)
		}
		return fmt.Errorf("%s %s: %w (%w)", op, d.name, ErrInterrupted, ffmpegErr(err))
	}
	return fmt.Errorf("%s %s: %w", op, d.name, ffmpegErr(err))
}

// isFile tells a local file (file:, or a plain path) from a live input.
func isFile(rawURL string) bool {
	if strings.HasPrefix(strings.ToLower(rawURL), "file:") {
		return true
	}
	return !strings.Contains(rawURL, "://") && !strings.HasPrefix(rawURL, "pipe:")
}

// withUDPDefaults adds the low-latency receive settings to a udp:// URL's
// query, keeping whatever the user set.
func withUDPDefaults(rawURL string) string {
	base, query, _ := strings.Cut(rawURL, "?")
	have, _ := url.ParseQuery(query)
	var add []string
	for _, kv := range [][2]string{
		{"fifo_size", strconv.Itoa(udpFIFOPackets)},
		// A full FIFO drops packets (the decoder resynchronises at the
		// next keyframe) instead of failing the read for good.
		{"overrun_nonfatal", "1"},
		{"buffer_size", strconv.Itoa(udpSocketBuffer)},
	} {
		if !have.Has(kv[0]) {
			add = append(add, kv[0]+"="+kv[1])
		}
	}
	if len(add) == 0 {
		return rawURL
	}
	if query != "" {
		query += "&"
	}
	return base + "?" + query + strings.Join(add, "&")
}
