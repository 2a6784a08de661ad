package storage

import (
	"bytes"
	"errors"
	"fmt"
	"image/jpeg"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/asticode/go-astiav"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"

	"github.com/camwall/camwall/decoder/annexb"
)

// RecordCodec is the video codec of a recording.
type RecordCodec string

// Codecs a recording can hold. H.264 and H.265 go into fragmented MP4;
// MJPEG into Matroska, which holds it natively (MP4 players rarely play it).
const (
	RecordH264  RecordCodec = "h264"
	RecordH265  RecordCodec = "h265"
	RecordMJPEG RecordCodec = "mjpeg"
)

// ErrRecordCodec is returned for a codec camwall cannot record (yet).
var ErrRecordCodec = errors.New("recording this codec is not supported (only H.264, H.265 and MJPEG)")

// ErrNeedKeyframe is returned when a segment would start on anything but a
// keyframe carrying its parameter sets: no player could start there.
var ErrNeedKeyframe = errors.New("a recording must start at a keyframe with its parameter sets")

// RecordTimeBase is the clock of the timestamps a Segment takes: RTP's
// 90 kHz video clock, so that they are copied without rounding.
const RecordTimeBase = 90000

// fragmentMicros is how long a fragment lasts at most: what a crash loses.
const fragmentMicros = "1000000"

// zeroPadding is FFmpeg's AV_INPUT_BUFFER_PADDING_SIZE of zeros, appended
// to every packet without allocating it each time.
var zeroPadding [64]byte

// Segment is one fragmented MP4 file being written by stream copy: the
// camera's H.264/H.265 access units go in unchanged, nothing is decoded or
// encoded. Every fragment (a keyframe, or a second at most) is complete on
// disk once written, so a process killed mid-file leaves a playable file
// missing only its last fragment. A Segment is used from one goroutine.
type Segment struct {
	path      string
	codec     RecordCodec
	audio     *RecordAudio   // nil: video only
	ast       *astiav.Stream // the audio stream
	atb       astiav.Rational
	audioN    int
	audioLast int64  // the last audio timestamp written
	params    []byte // the parameter sets the file's header holds, Annex-B
	out       *fileOutput
	fc        *astiav.FormatContext
	pb        *astiav.IOContext
	st        *astiav.Stream
	pkt       *astiav.Packet
	first     int64 // dts of the first access unit: files start at zero
	started   bool  // whether first is set: a stream's DTS may be negative
	last      int64 // the last dts written, to keep them increasing
	n         int
	Width     int // the picture size the parameter sets give
	Height    int
	trailered bool
	padded    []byte
	step      int64 // the last interval between samples
	tb        astiav.Rational
}

// CreateSegment creates the file at path (and its folder) for codec and
// writes its header, with the parameter sets taken from keyframe, the
// Annex-B access unit the file will start with. The caller then passes
// keyframe itself to Write. Nothing may be at path yet, not even a symbolic
// link: the error then wraps fs.ErrExist. The file and the folders it
// makes are private to the user (0600, 0700); CreateRecording also picks
// a free name and can make them group-readable.
func CreateSegment(path string, codec RecordCodec, keyframe []byte, audio *RecordAudio) (*Segment, error) {
	return createSegment(path, codec, keyframe, audio, false, func(perm fs.FileMode) (*os.File, error) {
		return createExclusive(path, perm)
	})
}

// CreateRecording starts a recording of camera begun at start in dir, as
// CreateSegment does, in dir/{camera}/{camera}_{timestamp}.mp4 (.mkv for
// MJPEG and G.711 audio: RecordCodec.Ext), or the first of its _2, _3, … that nothing is at: the name is
// claimed by creating the file exclusively, so two writers never get one
// file and no file or link target is ever overwritten. The file is 0600 in
// a 0700 folder, or 0640 in 0750 with groupReadable; Path says where it is.
func CreateRecording(dir, camera string, start time.Time, codec RecordCodec, keyframe []byte, audio *RecordAudio, groupReadable bool) (*Segment, error) {
	base := recordingBase(dir, camera, start, codec.Ext(audio))
	return createSegment(base, codec, keyframe, audio, groupReadable, createFree(base, maxTakenNames))
}

// createFree creates the first of base, base_2, … base_n nothing is at.
func createFree(base string, n int) func(fs.FileMode) (*os.File, error) {
	return func(perm fs.FileMode) (f *os.File, err error) {
		_, err = firstFree(base, n, func(name string) error {
			f, err = createExclusive(name, perm)
			return err
		})
		return f, err
	}
}

// createSegment starts a segment in the file create makes, for path. A
// start that fails once the file exists removes it: a full disk must not
// leave an empty file at every retry.
func createSegment(path string, codec RecordCodec, keyframe []byte, audio *RecordAudio, groupReadable bool, create func(fs.FileMode) (*os.File, error)) (*Segment, error) {
	params, w, h, err := parameterSets(codec, keyframe)
	if err != nil {
		return nil, err
	}
	filePerm, dirPerm := footageModes(groupReadable)
	folder := filepath.Dir(path)
	if err := os.MkdirAll(folder, dirPerm); err != nil {
		return nil, fmt.Errorf("create the recording folder: %w", err)
	}
	tidyOnce(folder)
	f, err := create(filePerm)
	if err != nil {
		return nil, fmt.Errorf("start recording %s: create the file: %w", filepath.Base(path), err)
	}
	s := &Segment{path: f.Name(), codec: codec, audio: audio, params: params, Width: w, Height: h, out: &fileOutput{f: f}}
	if err := s.open(); err != nil {
		s.free()
		os.Remove(s.path)
		return nil, fmt.Errorf("start recording %s: %w", filepath.Base(s.path), err)
	}
	return s, nil
}

// avioBufferSize is FFmpeg's own buffer size for files (IO_BUFFER_SIZE).
const avioBufferSize = 32 << 10

func (s *Segment) open() error {
	muxer := "mp4"
	if s.codec.Ext(s.audio) == ".mkv" {
		muxer = "matroska"
	}
	fc, err := astiav.AllocOutputFormatContext(nil, muxer, s.path)
	if err != nil {
		return fmt.Errorf("set up the %s muxer: %w", muxer, err)
	}
	s.fc = fc
	s.st = fc.NewStream(nil)
	if s.st == nil {
		return errors.New("add the video stream")
	}
	cp := s.st.CodecParameters()
	cp.SetMediaType(astiav.MediaTypeVideo)
	switch s.codec {
	case RecordMJPEG:
		cp.SetCodecID(astiav.CodecIDMjpeg)
	case RecordH265:
		cp.SetCodecID(astiav.CodecIDHevc)
		// hvc1 rather than hev1: what Apple's players want; the parameter
		// sets are in the header either way.
		cp.SetCodecTag(astiav.CodecTag(uint32('h') | uint32('v')<<8 | uint32('c')<<16 | uint32('1')<<24))
	default:
		cp.SetCodecID(astiav.CodecIDH264)
	}
	cp.SetWidth(s.Width)
	cp.SetHeight(s.Height)
	// Annex-B extradata: the mov muxer turns it into avcC/hvcC, and then
	// converts every Annex-B sample to length-prefixed NAL units itself.
	// Every JPEG is self-contained: MJPEG has none.
	if len(s.params) > 0 {
		if err := cp.SetExtraData(s.params); err != nil {
			return fmt.Errorf("set the parameter sets: %w", err)
		}
	}
	s.st.SetTimeBase(astiav.NewRational(1, RecordTimeBase))
	if s.audio != nil {
		if err := s.addAudio(fc); err != nil {
			return err
		}
	}

	// FFmpeg writes to the file already created rather than opening the
	// name again. It may seek: Matroska goes back to fill in sizes and cues.
	pb, err := astiav.AllocIOContext(avioBufferSize, true, nil, s.out.seek, s.out.write)
	if err != nil {
		return fmt.Errorf("set up writing the file: %w", err)
	}
	s.pb = pb
	fc.SetPb(pb)

	opts := astiav.NewDictionary()
	defer opts.Free()
	// empty_moov: the header needs nothing from the samples; frag_keyframe
	// and frag_duration: a fragment per keyframe or per second at most;
	// flush_packets: each fragment reaches the file as soon as it is cut,
	// and the header before WriteHeader returns, so that a disk too full
	// for it fails the start.
	muxOpts := map[string]string{
		"movflags":      "frag_keyframe+empty_moov+default_base_moof",
		"frag_duration": fragmentMicros,
		"flush_packets": "1",
	}
	if muxer == "matroska" {
		// Matroska's clusters play the part of fragments: one a second
		// at most, each on disk once cut.
		muxOpts = map[string]string{"cluster_time_limit": "1000", "flush_packets": "1"}
	}
	for k, v := range muxOpts {
		if err := opts.Set(k, v, 0); err != nil {
			return fmt.Errorf("set muxer option %s: %w", k, err)
		}
	}
	if err := fc.WriteHeader(opts); err != nil {
		return fmt.Errorf("write the header: %w", s.out.cause(err))
	}
	// The muxer may have chosen its own time base (Matroska's is 1 ms).
	s.tb = s.st.TimeBase()
	if s.ast != nil {
		s.atb = s.ast.TimeBase()
	}
	s.pkt = astiav.AllocPacket()
	return nil
}

// Path of the file.
func (s *Segment) Path() string { return s.path }

// Frames is how many access units were written.
func (s *Segment) Frames() int { return s.n }

// SameParams reports whether keyframe carries the parameter sets this file
// was started with; a camera that changed them needs a new file, since an
// MP4 track has one set of codec parameters.
func (s *Segment) SameParams(keyframe []byte) bool {
	p, w, h, err := parameterSets(s.codec, keyframe)
	if err != nil {
		return true // no sets in band: nothing changed
	}
	if s.codec == RecordMJPEG {
		return w == s.Width && h == s.Height // a new size needs a new track
	}
	return bytes.Equal(p, s.params)
}

// Write appends one Annex-B access unit, in decoding order, with its
// presentation and decoding times in RecordTimeBase; they differ for the
// reordered frames of a stream with B-frames, which keep their composition
// offsets. The first unit must be a keyframe. Decoding times are made to
// start at zero and to increase, as MP4 requires, and no frame is shown
// before it is decoded.
func (s *Segment) Write(au []byte, pts, dts int64, key bool) error {
	if !s.started {
		if !key {
			return ErrNeedKeyframe
		}
		s.first, s.started = dts, true
	}
	d, p := dts-s.first, pts-s.first
	if s.n > 0 && d <= s.last {
		d = s.last + 1
	}
	p = max(p, d)
	// The duration is the previous interval: the muxer wants one for the
	// last sample of a fragment, and a camera's frame rate is steady.
	if s.n > 0 {
		s.step = d - s.last
	}
	s.last = d
	s.pkt.Unref()
	// Zero padding past the end, as FFmpeg's bitstream readers expect
	// (see decoder.Decode).
	s.padded = append(append(s.padded[:0], au...), zeroPadding[:]...)
	if err := s.pkt.FromData(s.padded); err != nil {
		return fmt.Errorf("record a frame: %w", err)
	}
	s.pkt.SetSize(len(au))
	s.pkt.SetPts(p)
	s.pkt.SetDts(d)
	s.pkt.SetDuration(s.step)
	s.pkt.RescaleTs(astiav.NewRational(1, RecordTimeBase), s.tb)
	s.pkt.SetStreamIndex(s.st.Index())
	if key {
		s.pkt.SetFlags(s.pkt.Flags().Add(astiav.PacketFlagKey))
	}
	if err := s.writePacket(); err != nil {
		return fmt.Errorf("write to %s: %w", filepath.Base(s.path), s.out.cause(err))
	}
	s.n++
	return nil
}

// Close writes the last fragment and closes the file.
func (s *Segment) Close() error {
	var err error
	if s.fc != nil && !s.trailered {
		s.trailered = true
		if e := s.fc.WriteTrailer(); e != nil {
			err = fmt.Errorf("finish %s: %w", filepath.Base(s.path), s.out.cause(e))
		}
	}
	if e := s.free(); e != nil && err == nil {
		err = fmt.Errorf("close %s: %w", filepath.Base(s.path), e)
	}
	return err
}

func (s *Segment) free() error {
	if s.pkt != nil {
		s.pkt.Free()
		s.pkt = nil
	}
	if s.fc != nil {
		s.fc.Free()
		s.fc = nil
	}
	// Free, not Close: Close would take the callbacks' context for a file
	// FFmpeg opened itself.
	if s.pb != nil {
		s.pb.Free()
		s.pb = nil
	}
	if s.out.f == nil {
		return nil
	}
	err := s.out.f.Close()
	s.out.f = nil
	return err
}

// fileOutput is FFmpeg's way into a file camwall created itself: FFmpeg
// never opens a recording by name, which would follow a symbolic link put
// there meanwhile and truncate what it leads to.
type fileOutput struct {
	f   *os.File
	err error // the first failure, which FFmpeg knows only as a number
}

// Flags FFmpeg adds to whence (AVSEEK_SIZE, AVSEEK_FORCE).
const (
	avseekSize  = 0x10000 // asks for the size instead of seeking
	avseekForce = 0x20000 // a hint for network streams, meaningless here
)

func (o *fileOutput) write(b []byte) (int, error) {
	n, err := o.f.Write(b)
	if err != nil {
		return n, o.fail(err)
	}
	return n, nil
}

func (o *fileOutput) seek(offset int64, whence int) (int64, error) {
	if whence&avseekSize != 0 {
		fi, err := o.f.Stat()
		if err != nil {
			return 0, o.fail(err)
		}
		return fi.Size(), nil
	}
	n, err := o.f.Seek(offset, whence&^avseekForce)
	if err != nil {
		return 0, o.fail(err)
	}
	return n, nil
}

// fail keeps err for the Segment's messages and gives FFmpeg its number,
// so that its own messages name the cause too.
func (o *fileOutput) fail(err error) error {
	if o.err == nil {
		o.err = err
	}
	var errno syscall.Errno
	if runtime.GOOS != "windows" && errors.As(err, &errno) {
		return astiav.Error(-int(errno)) // AVERROR(errno)
	}
	return astiav.ErrEio
}

// cause is what an FFmpeg error err came from: the file's own error (disk
// full, say) when writing it failed, else err.
func (o *fileOutput) cause(err error) error {
	if o.err != nil {
		return o.err
	}
	return err
}

// parameterSets finds the VPS/SPS/PPS in an Annex-B keyframe and returns
// them as Annex-B extradata, with the picture size the SPS gives.
func parameterSets(codec RecordCodec, au []byte) (params []byte, w, h int, err error) {
	if codec == RecordMJPEG {
		// The size comes from the JPEG's own frame header.
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(au))
		if err != nil {
			return nil, 0, 0, fmt.Errorf("%w: not a JPEG: %v", ErrNeedKeyframe, err)
		}
		return nil, cfg.Width, cfg.Height, nil
	}
	var sps []byte
	var sets [][]byte
	for _, n := range annexb.Split(au) {
		switch codec {
		case RecordH264:
			switch h264.NALUType(n[0] & 0x1f) {
			case h264.NALUTypeSPS:
				sps = n
				sets = append(sets, n)
			case h264.NALUTypePPS:
				sets = append(sets, n)
			}
		case RecordH265:
			switch h265.NALUType((n[0] >> 1) & 0x3f) {
			case h265.NALUType_SPS_NUT:
				sps = n
				sets = append(sets, n)
			case h265.NALUType_VPS_NUT, h265.NALUType_PPS_NUT:
				sets = append(sets, n)
			}
		default:
			return nil, 0, 0, ErrRecordCodec
		}
	}
	if sps == nil {
		return nil, 0, 0, ErrNeedKeyframe
	}
	switch codec {
	case RecordH264:
		var p h264.SPS
		if err := p.Unmarshal(sps); err != nil {
			return nil, 0, 0, fmt.Errorf("read the H.264 SPS: %w", err)
		}
		w, h = p.Width(), p.Height()
	case RecordH265:
		var p h265.SPS
		if err := p.Unmarshal(sps); err != nil {
			return nil, 0, 0, fmt.Errorf("read the H.265 SPS: %w", err)
		}
		w, h = p.Width(), p.Height()
	}
	for _, n := range sets {
		params = append(params, 0, 0, 0, 1)
		params = append(params, n...)
	}
	return params, w, h, nil
}
