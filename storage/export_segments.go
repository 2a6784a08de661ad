package storage

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/asticode/go-astiav"
)

// Recorded is one recording file of a camera and the wall-clock span it
// covers: from the time in its name (its first keyframe) for as long as its
// fragments say. A file still being written covers what it holds so far.
type Recorded struct {
	Path       string
	Start, End time.Time
}

// Recordings lists the MP4 recordings of camera in dir, oldest first. A
// file that cannot be read is left out and named in skipped, with why.
func Recordings(dir, camera string) (recs []Recorded, skipped []string, err error) {
	folder := filepath.Join(dir, SanitizeName(camera))
	entries, err := os.ReadDir(folder)
	if err != nil {
		return nil, nil, fmt.Errorf("recordings of %s: %w", quote(camera), err)
	}
	for _, e := range entries {
		name := e.Name()
		// Matroska (MJPEG) recordings do not go into an MP4 clip.
		m := recordingName.FindStringSubmatch(name)
		if !e.Type().IsRegular() || m == nil || m[1] != SanitizeName(camera) || filepath.Ext(name) != ".mp4" {
			continue
		}
		start, err := time.Parse(timestampLayout, m[2])
		if err != nil {
			continue
		}
		path := filepath.Join(folder, name)
		length, err := recordedLength(path)
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		recs = append(recs, Recorded{Path: path, Start: start, End: start.Add(length)})
	}
	slices.SortFunc(recs, func(a, b Recorded) int { return a.Start.Compare(b.Start) })
	return recs, skipped, nil
}

// recordedLength is how long a recording lasts, as FFmpeg's demuxer reads
// it from the fragments' headers when it opens the file (no sample is
// read); a file whose headers give no length is read packet by packet.
func recordedLength(path string) (time.Duration, error) {
	in, err := openRecording(path)
	if err != nil {
		return 0, err
	}
	defer in.close()
	if d := in.fc.Duration(); d > 0 {
		return time.Duration(d) * time.Microsecond, nil // AV_TIME_BASE
	}
	pkt := astiav.AllocPacket()
	defer pkt.Free()
	var end int64 = -1
	tb := in.video.TimeBase()
	for {
		if err := in.fc.ReadFrame(pkt); err != nil {
			break // the end, or a fragment cut short: what came before counts
		}
		if pkt.StreamIndex() == in.video.Index() {
			end = max(end, pkt.Pts()+pkt.Duration(), pkt.Dts()+pkt.Duration())
		}
		pkt.Unref()
	}
	if end < 0 {
		return 0, fmt.Errorf("no video in it")
	}
	return time.Duration(astiav.RescaleQ(end, tb, astiav.NewRational(1, 1e9))), nil
}

// recording is an open recording file.
type recording struct {
	path         string
	fc           *astiav.FormatContext
	video, audio *astiav.Stream // audio nil when it has none
}

func openRecording(path string) (*recording, error) {
	fc := astiav.AllocFormatContext()
	if fc == nil {
		return nil, fmt.Errorf("allocate a demuxer")
	}
	if err := fc.OpenInput(path, nil, nil); err != nil {
		fc.Free()
		return nil, fmt.Errorf("open: %w", err)
	}
	r := &recording{path: path, fc: fc}
	if err := fc.FindStreamInfo(nil); err != nil {
		r.close()
		return nil, fmt.Errorf("read its streams: %w", err)
	}
	for _, st := range fc.Streams() {
		switch st.CodecParameters().MediaType() {
		case astiav.MediaTypeVideo:
			if r.video == nil {
				r.video = st
			}
		case astiav.MediaTypeAudio:
			if r.audio == nil {
				r.audio = st
			}
		}
	}
	if r.video == nil {
		r.close()
		return nil, fmt.Errorf("no video stream")
	}
	return r, nil
}

func (r *recording) close() {
	r.fc.CloseInput()
	r.fc.Free()
}
