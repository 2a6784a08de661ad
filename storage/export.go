package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/asticode/go-astiav"
)

// ExportConfig is a clip to cut from a camera's recordings.
type ExportConfig struct {
	// Dir is the recordings folder (RecordPlan.Dir) and Camera the
	// camera's name, whose recordings are in Dir/SanitizeName(Camera).
	Dir, Camera string
	// From and To bound the clip in wall-clock time. The clip starts at the
	// keyframe at or before From, and holds every frame decoded before To
	// (so it may end a frame or so after it, never before).
	From, To time.Time
	// Out is the MP4 file to write; an existing file is never replaced.
	Out string
	// Progress, when set, is told how much of the clip is written.
	Progress func(done, total time.Duration)
}

// ExportResult says what a clip holds.
type ExportResult struct {
	Path string
	// Start and End are the wall-clock span of the clip's video, Length
	// its duration (gaps between recordings left out).
	Start, End time.Time
	Length     time.Duration
	Audio      bool
	// Files is how many recordings it joined; Gaps the wall-clock spans
	// between them that had no recording (the camera was down, or not
	// recorded), which the clip leaves out.
	Files int
	Gaps  []Gap
	// Skipped names recordings that could not be read, and why.
	Skipped []string
	// Cut, when set, says why the clip ends before To: a recording whose
	// stream changed (resolution, codec) cannot be joined by stream copy.
	Cut string
}

// Gap is a span without recording.
type Gap struct{ From, To time.Time }

// ErrNothingRecorded is an export whose span no recording covers.
var ErrNothingRecorded = errors.New("nothing recorded then")

// Export writes the part of a camera's recordings between From and To as
// one MP4, by stream copy: video and audio as the camera sent them, the
// recordings joined with continuous timestamps. It writes a temporary file
// beside Out and moves it into place only when complete, so that a failure,
// a full disk or a cancelled ctx leaves nothing behind.
func Export(ctx context.Context, cfg ExportConfig) (ExportResult, error) {
	if !cfg.From.Before(cfg.To) {
		return ExportResult{}, fmt.Errorf("the clip's start (%s) must be before its end (%s)", cfg.From.Format(time.DateTime), cfg.To.Format(time.DateTime))
	}
	if _, err := os.Lstat(cfg.Out); err == nil {
		return ExportResult{}, fmt.Errorf("%s exists: camwall does not replace a file", cfg.Out)
	}
	recs, skipped, err := Recordings(cfg.Dir, cfg.Camera)
	if err != nil {
		return ExportResult{}, err
	}
	var use []Recorded
	for _, r := range recs {
		if r.End.After(cfg.From) && r.Start.Before(cfg.To) {
			use = append(use, r)
		}
	}
	if len(use) == 0 {
		return ExportResult{Skipped: skipped}, fmt.Errorf("%w: camera %s has %s", ErrNothingRecorded, quote(cfg.Camera), spans(recs))
	}
	tmp, err := os.CreateTemp(filepath.Dir(cfg.Out), "."+filepath.Base(cfg.Out)+".*.part")
	if err != nil {
		return ExportResult{}, fmt.Errorf("create the clip: %w", err)
	}
	tmpPath := tmp.Name()
	tmp.Close()
	done := false
	defer func() {
		if !done {
			os.Remove(tmpPath)
		}
	}()
	res, err := writeClip(ctx, cfg, use, tmpPath)
	res.Skipped = append(skipped, res.Skipped...)
	if err != nil {
		return res, err
	}
	// A hard link fails if Out appeared meanwhile: nothing is replaced.
	if err := os.Link(tmpPath, cfg.Out); err != nil {
		return res, fmt.Errorf("move the clip into place: %w", err)
	}
	done = true
	os.Remove(tmpPath)
	res.Path = cfg.Out
	return res, nil
}

// spans words the recordings' spans for a message, in local time.
func spans(recs []Recorded) string {
	if len(recs) == 0 {
		return "no recordings"
	}
	var parts []string
	var from, to time.Time
	flush := func() {
		parts = append(parts, from.Local().Format("2006-01-02 15:04:05")+"–"+to.Local().Format("15:04:05"))
	}
	for i, r := range recs {
		// Recordings a second or less apart are one span to a reader.
		if i > 0 && r.Start.Sub(to) > time.Second {
			flush()
			from = r.Start
		} else if i == 0 {
			from = r.Start
		}
		to = r.End
	}
	flush()
	if len(parts) > 6 {
		parts = append(parts[:3], "…", parts[len(parts)-1])
	}
	return "recordings " + strings.Join(parts, ", ") + " (local time)"
}

// clipWriter joins recordings into one output.
type clipWriter struct {
	fc           *astiav.FormatContext
	pb           *astiav.IOContext
	video, audio *astiav.Stream
	// params is the first recording's video extradata, which every joined
	// recording must share.
	params        []byte
	width, height int
	vcodec        astiav.CodecID
	acodec        astiav.CodecID
	// lastDTS is the last DTS written per output stream, in its time base.
	lastDTS map[int]int64
}

func writeClip(ctx context.Context, cfg ExportConfig, use []Recorded, path string) (ExportResult, error) {
	res := ExportResult{}
	w := &clipWriter{lastDTS: map[int]int64{}}
	defer w.free()
	total := cfg.To.Sub(maxTime(cfg.From, use[0].Start))
	// offset is where the next recording starts on the clip's clock, in
	// microseconds.
	var offset int64
	var prevEnd time.Time
	for i, r := range use {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		in, err := openRecording(r.Path)
		if err != nil {
			res.Skipped = append(res.Skipped, fmt.Sprintf("%s: %v", filepath.Base(r.Path), err))
			continue
		}
		if w.fc == nil {
			if err := w.open(path, in); err != nil {
				in.close()
				return res, err
			}
			res.Audio = w.audio != nil
		} else if why := w.differs(in); why != "" {
			in.close()
			res.Cut = fmt.Sprintf("%s: %s; the clip ends before it", filepath.Base(r.Path), why)
			break
		}
		if !prevEnd.IsZero() && r.Start.Sub(prevEnd) > time.Second {
			res.Gaps = append(res.Gaps, Gap{From: prevEnd, To: r.Start})
		}
		var from time.Time
		if i == 0 || res.Files == 0 {
			from = cfg.From
		}
		span, first, last, err := w.copy(ctx, in, r.Start, from, cfg.To, offset, func(d time.Duration) {
			if cfg.Progress != nil {
				cfg.Progress(min(d, total), total)
			}
		})
		in.close()
		if err != nil {
			return res, err
		}
		if span <= 0 {
			continue
		}
		if res.Files == 0 {
			res.Start = first
		}
		res.End = last
		res.Files++
		offset += span
		prevEnd = r.End
	}
	if res.Files == 0 {
		return res, fmt.Errorf("%w: no recording between %s and %s could be read", ErrNothingRecorded,
			cfg.From.Local().Format(time.DateTime), cfg.To.Local().Format(time.DateTime))
	}
	if err := w.fc.WriteTrailer(); err != nil {
		return res, fmt.Errorf("finish the clip: %w", err)
	}
	res.Length = time.Duration(offset) * time.Microsecond
	return res, nil
}

// open starts the output with the first recording's streams.
func (w *clipWriter) open(path string, in *recording) error {
	fc, err := astiav.AllocOutputFormatContext(nil, "mp4", path)
	if err != nil {
		return fmt.Errorf("set up the MP4 muxer: %w", err)
	}
	w.fc = fc
	add := func(src *astiav.Stream) (*astiav.Stream, error) {
		st := fc.NewStream(nil)
		if st == nil {
			return nil, errors.New("add a stream")
		}
		if err := src.CodecParameters().Copy(st.CodecParameters()); err != nil {
			return nil, fmt.Errorf("copy the stream's parameters: %w", err)
		}
		st.SetTimeBase(src.TimeBase())
		return st, nil
	}
	if w.video, err = add(in.video); err != nil {
		return err
	}
	// The recording's tag (hvc1 for H.265) carries over: what Apple's
	// players want.
	cp := in.video.CodecParameters()
	w.params, w.width, w.height, w.vcodec = bytes.Clone(cp.ExtraData()), cp.Width(), cp.Height(), cp.CodecID()
	if in.audio != nil {
		if w.audio, err = add(in.audio); err != nil {
			return err
		}
		w.acodec = in.audio.CodecParameters().CodecID()
	}
	pb, err := astiav.OpenIOContext(path, astiav.NewIOContextFlags(astiav.IOContextFlagWrite), nil, nil)
	if err != nil {
		return fmt.Errorf("open the clip for writing: %w", err)
	}
	w.pb = pb
	fc.SetPb(pb)
	opts := astiav.NewDictionary()
	defer opts.Free()
	// faststart: the index goes before the samples, so that a player or a
	// browser starts the clip before it has all of it.
	if err := opts.Set("movflags", "+faststart", 0); err != nil {
		return err
	}
	if err := fc.WriteHeader(opts); err != nil {
		return fmt.Errorf("write the clip's header: %w", err)
	}
	return nil
}

// differs says why a recording cannot be joined to the clip by stream
// copy; "" when it can.
func (w *clipWriter) differs(in *recording) string {
	cp := in.video.CodecParameters()
	switch {
	case cp.CodecID() != w.vcodec:
		return "the camera's video codec changed"
	case cp.Width() != w.width || cp.Height() != w.height:
		return fmt.Sprintf("the camera's resolution changed from %dx%d to %dx%d", w.width, w.height, cp.Width(), cp.Height())
	case !bytes.Equal(cp.ExtraData(), w.params):
		return "the camera's stream parameters changed"
	case (in.audio != nil) != (w.audio != nil) || in.audio != nil && in.audio.CodecParameters().CodecID() != w.acodec:
		return "the camera's audio changed"
	}
	return ""
}

// copy writes the packets of one recording that fall in the clip: from
// the keyframe at or before from (zero: the recording's start) to the last
// packet decoded before to, at offset on the clip's clock. It returns how
// long its part lasts (µs) and its wall-clock span.
func (w *clipWriter) copy(ctx context.Context, in *recording, start, from, to time.Time, offset int64,
	progress func(time.Duration)) (span int64, first, last time.Time, err error) {
	us := astiav.NewRational(1, 1e6)
	vtb := in.video.TimeBase()
	wall := func(ts int64, tb astiav.Rational) time.Time {
		return start.Add(time.Duration(astiav.RescaleQ(ts, tb, us)) * time.Microsecond)
	}
	// A first pass, on a reading of its own, finds the keyframe to start
	// at; reading a recording twice costs no decoding.
	base, ok, err := startKey(in.path, start, from)
	if err != nil || !ok {
		return 0, first, last, err
	}
	baseUS := astiav.RescaleQ(base, vtb, us)
	audioIndex := -1
	if in.audio != nil {
		audioIndex = in.audio.Index()
	}
	pkt := astiav.AllocPacket()
	defer pkt.Free()
	var end int64 // µs past base of the last video packet's decoding end
	for {
		if err := ctx.Err(); err != nil {
			return 0, first, last, err
		}
		if err := in.fc.ReadFrame(pkt); err != nil {
			break // the end, or a fragment cut short
		}
		var out *astiav.Stream
		var tb astiav.Rational
		switch pkt.StreamIndex() {
		case in.video.Index():
			out, tb = w.video, vtb
		case audioIndex:
			out, tb = w.audio, in.audio.TimeBase()
		default:
			pkt.Unref()
			continue
		}
		dtsUS := astiav.RescaleQ(pkt.Dts(), tb, us)
		ptsUS := astiav.RescaleQ(pkt.Pts(), tb, us)
		if out == w.video && dtsUS < baseUS || out == w.audio && ptsUS < baseUS {
			pkt.Unref()
			continue
		}
		if !wall(pkt.Dts(), tb).Before(to) {
			pkt.Unref()
			if out == w.video {
				break
			}
			continue
		}
		if out == w.video {
			if first.IsZero() {
				first = wall(pkt.Pts(), tb)
			}
			last = wall(pkt.Pts()+pkt.Duration(), tb)
		}
		// The next recording follows on the decoding clock: its first
		// frame is decoded a frame after this one's last. (Ending on the
		// presentation clock would count a B-frame stream's reordering
		// delay twice at every join.)
		if out == w.video {
			end = max(end, astiav.RescaleQ(pkt.Dts()+pkt.Duration(), tb, us)-baseUS)
		}
		if err := w.write(pkt, out, tb, offset-baseUS); err != nil {
			return 0, first, last, err
		}
		progress(time.Duration(offset+end) * time.Microsecond)
	}
	return end, first, last, nil
}

// startKey is the DTS of the keyframe to start at: the last one at or
// before from, or the first one (from zero, or before the recording).
func startKey(path string, start, from time.Time) (int64, bool, error) {
	in, err := openRecording(path)
	if err != nil {
		return 0, false, err
	}
	defer in.close()
	pkt := astiav.AllocPacket()
	defer pkt.Free()
	vtb := in.video.TimeBase()
	us := astiav.NewRational(1, 1e6)
	var key int64
	found := false
	for {
		if err := in.fc.ReadFrame(pkt); err != nil {
			break
		}
		if pkt.StreamIndex() == in.video.Index() && pkt.Flags().Has(astiav.PacketFlagKey) {
			at := start.Add(time.Duration(astiav.RescaleQ(pkt.Pts(), vtb, us)) * time.Microsecond)
			if found && !from.IsZero() && at.After(from) {
				pkt.Unref()
				break
			}
			if !found || !from.IsZero() {
				key, found = pkt.Dts(), true
			}
			if from.IsZero() {
				pkt.Unref()
				break
			}
		}
		pkt.Unref()
	}
	return key, found, nil
}

// write puts one packet into the clip, shifted by shift µs, with DTS kept
// strictly increasing per stream (the muxer refuses anything else).
func (w *clipWriter) write(pkt *astiav.Packet, out *astiav.Stream, tb astiav.Rational, shift int64) error {
	otb := out.TimeBase()
	d := astiav.RescaleQ(shift, astiav.NewRational(1, 1e6), tb)
	pkt.SetPts(pkt.Pts() + d)
	pkt.SetDts(pkt.Dts() + d)
	pkt.RescaleTs(tb, otb)
	if last, ok := w.lastDTS[out.Index()]; ok && pkt.Dts() <= last {
		gap := last + 1 - pkt.Dts()
		pkt.SetDts(last + 1)
		pkt.SetPts(pkt.Pts() + gap)
	}
	w.lastDTS[out.Index()] = pkt.Dts()
	pkt.SetStreamIndex(out.Index())
	pkt.SetPos(-1)
	if err := w.fc.WriteInterleavedFrame(pkt); err != nil {
		return fmt.Errorf("write the clip: %w", err)
	}
	return nil
}

func (w *clipWriter) free() {
	if w.pb != nil {
		w.pb.Close()
	}
	if w.fc != nil {
		w.fc.Free()
	}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
