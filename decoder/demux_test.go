package decoder

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/asticode/go-astiav"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/redact"
)

// clipFrames is the length of every test clip: 1 s at 30 frames/s.
const clipFrames = 30

const testSource = "testsrc2=s=640x360:r=30:d=1"

// makeClip encodes one second of the test pattern with the given output
// options.
func makeClip(t *testing.T, name string, args ...string) string {
	t.Helper()
	return playtest.FFmpegFile(t, name, append([]string{"-f", "lavfi", "-i", testSource}, args...)...)
}

// h264Args make the clips cameras send: no B-frames, a keyframe a second.
var h264Args = []string{"-c:v", "libx264", "-preset", "ultrafast", "-bf", "0", "-g", "30", "-pix_fmt", "yuv420p"}

func openDemuxer(t *testing.T, url string, o DemuxOptions) *Demuxer {
	t.Helper()
	d := NewDemuxer()
	t.Cleanup(d.Close)
	if err := d.Open(url, o); err != nil {
		t.Fatalf("Open: %v", err)
	}
	return d
}

// readAll reads packets until io.EOF.
func readAll(t *testing.T, d *Demuxer) []Packet {
	t.Helper()
	var pkts []Packet
	for {
		p, err := d.Read()
		if errors.Is(err, io.EOF) {
			return pkts
		}
		if err != nil {
			t.Fatalf("Read after %d packets: %v", len(pkts), err)
		}
		pkts = append(pkts, p)
	}
}

// decodeAll decodes pkts with a new Decoder, checks every frame's size and
// returns how many frames came out.
func decodeAll(t *testing.T, c Codec, pkts []Packet, w, h int) int {
	t.Helper()
	dec, err := New(Config{Codec: c})
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	n := 0
	check := func(f *Frame) error {
		n++
		if f.Width() != w || f.Height() != h {
			return fmt.Errorf("frame %d is %dx%d, want %dx%d", n, f.Width(), f.Height(), w, h)
		}
		return nil
	}
	for i, p := range pkts {
		if err := dec.Decode(p.Data, p.PTS, check); err != nil {
			t.Fatalf("packet %d: %v", i, err)
		}
	}
	if err := dec.Flush(check); err != nil {
		t.Fatal(err)
	}
	return n
}

func checkPTSIncrease(t *testing.T, pkts []Packet) {
	t.Helper()
	for i := 1; i < len(pkts); i++ {
		if pkts[i].PTS <= pkts[i-1].PTS {
			t.Fatalf("packet %d has PTS %d after %d", i, pkts[i].PTS, pkts[i-1].PTS)
		}
	}
}

// A file played in a loop, as the player does with test clips: every frame
// of every pass decodes, and time never goes back across Rewind.
func TestDemuxFilesGiveEveryFrameAndLoopOnRewind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		file  string
		args  []string
		codec Codec
		fps   int // the rate its PTS advance at, which a player paces a file by
	}{
		{"MPEG-TS H.264", "clip.ts", h264Args, H264, 30},
		{"MP4 H.264 converted to Annex-B", "clip.mp4", h264Args, H264, 30},
		{"Matroska H.265 converted to Annex-B", "clip.mkv",
			[]string{"-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error:bframes=0:keyint=30"}, H265, 30},
		// No timestamps: frames are counted at the rate in the SPS.
		{"raw H.264 without timestamps", "clip.h264", h264Args, H264, 30},
		{"MJPEG in Matroska", "clip.mkv", []string{"-c:v", "mjpeg", "-q:v", "5"}, MJPEG, 30},
		// Nothing in the file says its rate: FFmpeg assumes 25.
		{"raw MJPEG", "clip.mjpeg", []string{"-c:v", "mjpeg", "-q:v", "5"}, MJPEG, 25},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := openDemuxer(t, "file://"+makeClip(t, tc.file, tc.args...), DemuxOptions{})
			if d.Codec() != tc.codec {
				t.Fatalf("Codec() = %v, want %v", d.Codec(), tc.codec)
			}
			first := readAll(t, d)
			if len(first) == 0 || !first[0].Key {
				t.Fatalf("the first of %d packets is not a keyframe", len(first))
			}
			if tc.codec != MJPEG && !bytes.HasPrefix(first[0].Data, []byte{0, 0, 0, 1}) && !bytes.HasPrefix(first[0].Data, []byte{0, 0, 1}) {
				t.Fatalf("first packet starts % x, want an Annex-B start code", first[0].Data[:4])
			}
			checkPTSIncrease(t, first)
			span := first[len(first)-1].PTS - first[0].PTS
			if want := int64(len(first)-1) * 90000 / int64(tc.fps); span < want*95/100 || span > want*105/100 {
				t.Errorf("PTS span %d over %d packets, want about %d (%d frames/s)", span, len(first), want, tc.fps)
			}
			if n := decodeAll(t, tc.codec, first, 640, 360); n != clipFrames {
				t.Fatalf("decoded %d frames from %d packets, want %d", n, len(first), clipFrames)
			}

			if err := d.Rewind(); err != nil {
				t.Fatalf("Rewind: %v", err)
			}
			second := readAll(t, d)
			if len(second) != len(first) || !second[0].Key {
				t.Fatalf("after Rewind: %d packets, first key %v; want %d starting with a keyframe",
					len(second), len(second) > 0 && second[0].Key, len(first))
			}
			both := append(first, second...)
			checkPTSIncrease(t, both)
			// One decoder across the loop, as a camera session has.
			if n := decodeAll(t, tc.codec, both, 640, 360); n != 2*clipFrames {
				t.Errorf("decoded %d frames over two passes, want %d", n, 2*clipFrames)
			}
		})
	}
}

func TestDemuxOpenErrorsSayWhatWentWrong(t *testing.T) {
	t.Parallel()
	notFound := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(notFound.Close)
	tests := []struct {
		name     string
		url      func(t *testing.T) string
		wantIs   []error
		wantText string // in the message
		notText  string // never in the message
	}{
		{
			name:   "missing file",
			url:    func(t *testing.T) string { return "file://" + filepath.Join(t.TempDir(), "missing.ts") },
			wantIs: []error{syscall.ENOENT, astiav.ErrEnoent},
		},
		{
			name: "garbage file",
			url: func(t *testing.T) string {
				path := filepath.Join(t.TempDir(), "garbage.bin")
				if err := os.WriteFile(path, []byte(rand.Text()+rand.Text()+rand.Text()), 0o600); err != nil {
					t.Fatal(err)
				}
				return "file://" + path
			},
			wantIs: []error{astiav.ErrInvaliddata},
		},
		{
			name: "audio only",
			url: func(t *testing.T) string {
				return "file://" + playtest.FFmpegFile(t, "audio.m4a", "-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac")
			},
			wantIs: []error{ErrNoVideo}, wantText: "aac",
		},
		{
			name: "MPEG-4 part 2 video",
			url: func(t *testing.T) string {
				return "file://" + makeClip(t, "mpeg4.mkv", "-c:v", "mpeg4")
			},
			wantIs: []error{ErrUnsupportedCodec}, wantText: "mpeg4",
		},
		{
			name:   "closed port, password kept out of the message",
			url:    func(t *testing.T) string { return "http://admin:s3cret@" + playtest.FreeTCPAddr(t) + "/x" },
			wantIs: []error{syscall.ECONNREFUSED}, wantText: "admin:***@", notText: "s3cret",
		},
		{
			name:   "HTTP 404",
			url:    func(*testing.T) string { return notFound.URL + "/video" },
			wantIs: []error{astiav.ErrHttpNotFound},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := NewDemuxer()
			defer d.Close()
			u := tc.url(t)
			err := d.Open(u, DemuxOptions{Name: redact.URL(u)})
			if err == nil {
				t.Fatalf("Open succeeded, codec %v", d.Codec())
			}
			t.Logf("error: %v", err)
			for _, want := range tc.wantIs {
				if !errors.Is(err, want) {
					t.Errorf("errors.Is(err, %v) = false", want)
				}
			}
			if !strings.HasPrefix(err.Error(), "open ") {
				t.Errorf("message %q does not say what was being done", err)
			}
			if !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("message %q does not contain %q", err, tc.wantText)
			}
			if tc.notText != "" && strings.Contains(err.Error(), tc.notText) {
				t.Errorf("message %q contains %q", err, tc.notText)
			}
		})
	}
}

// startSender streams the test pattern live to a UDP port as MPEG-TS, as a
// GoPro does, with extra output options. The returned function kills it; the
// test's cleanup does too.
func startSender(t *testing.T, port int, extra ...string) (kill func()) {
	t.Helper()
	args := []string{"-hide_banner", "-loglevel", "error", "-nostdin", "-re",
		"-f", "lavfi", "-i", "testsrc2=s=640x360:r=30",
		"-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "15", "-bf", "0", "-pix_fmt", "yuv420p"}
	args = append(append(args, extra...), "-f", "mpegts", fmt.Sprintf("udp://127.0.0.1:%d?pkt_size=1316", port))
	return playtest.Start(t, exec.Command(playtest.FFmpeg(t), args...)).Kill
}

// watchdog interrupts d if the test hangs, so that a hang fails the test
// instead of the whole run.
func watchdog(t *testing.T, d *Demuxer, after time.Duration) {
	timer := time.AfterFunc(after, d.Interrupt)
	t.Cleanup(func() { timer.Stop() })
}

func TestDemuxUDPLiveMPEGTSDecodesFromTheFirstKeyframe(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		sender []string
		join   time.Duration // how long the sender runs before Open
	}{
		{"from the start of the feed", nil, 0},
		// Open has to wait up to a second for the PMT, which names the
		// codec: a probe size of 32 KiB gave up before it came.
		{"joining a 2 Mbit/s feed with a PMT and keyframe once a second", []string{"-pat_period", "1", "-g", "30", "-b:v", "2M"}, 1300 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			port := playtest.FreeUDPPort(t)
			startSender(t, port, tc.sender...)
			time.Sleep(tc.join)
			start := time.Now()
			d := NewDemuxer()
			t.Cleanup(d.Close)
			watchdog(t, d, 8*time.Second)
			if err := d.Open(fmt.Sprintf("udp://127.0.0.1:%d", port), DemuxOptions{LowLatency: true}); err != nil {
				t.Fatal(err)
			}
			opened := time.Since(start)
			if d.Codec() != H264 {
				t.Fatalf("Codec() = %v, want H.264", d.Codec())
			}
			firstFrame, skipped := decodeLive(t, d, 30)
			t.Logf("opened after %v, first frame after %v (%d packets before the first keyframe)",
				opened.Round(time.Millisecond), firstFrame.Sub(start).Round(time.Millisecond), skipped)
			if took := firstFrame.Sub(start); took > 5*time.Second {
				t.Errorf("first frame after %v, want a few seconds at most", took)
			}
		})
	}
}

// decodeLive decodes n frames from d, starting at the first keyframe as a
// player does, and checks them. It returns when the first frame came out and
// how many packets came before the first keyframe.
func decodeLive(t *testing.T, d *Demuxer, n int) (first time.Time, skipped int) {
	t.Helper()
	dec, err := New(Config{Codec: d.Codec()})
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	frames := 0
	var last int64
	for frames < n {
		p, err := d.Read()
		if err != nil {
			t.Fatalf("Read after %d frames: %v", frames, err)
		}
		if frames == 0 && !p.Key {
			skipped++
			continue
		}
		if frames > 0 && p.PTS <= last {
			t.Fatalf("PTS %d after %d", p.PTS, last)
		}
		last = p.PTS
		if err := dec.Decode(p.Data, p.PTS, func(f *Frame) error {
			if frames == 0 {
				first = time.Now()
			}
			frames++
			if f.Width() != 640 || f.Height() != 360 {
				return fmt.Errorf("frame %dx%d, want 640x360", f.Width(), f.Height())
			}
			return nil
		}); err != nil {
			t.Fatalf("decoding after %d frames: %v", frames, err)
		}
	}
	return first, skipped
}

func TestDemuxInterruptUnblocksOpenOnASilentUDPPort(t *testing.T) {
	t.Parallel()
	for _, low := range []bool{true, false} {
		t.Run(fmt.Sprintf("LowLatency=%v", low), func(t *testing.T) {
			t.Parallel()
			d := NewDemuxer()
			defer d.Close()
			url := fmt.Sprintf("udp://127.0.0.1:%d", playtest.FreeUDPPort(t))
			errc := make(chan error, 1)
			go func() { errc <- d.Open(url, DemuxOptions{LowLatency: low}) }()
			select {
			case err := <-errc:
				t.Fatalf("Open returned without a sender: %v", err)
			case <-time.After(300 * time.Millisecond):
			}
			checkInterrupts(t, d, errc)
		})
	}
}

func TestDemuxInterruptUnblocksAReadAfterTheSenderStops(t *testing.T) {
	t.Parallel()
	port := playtest.FreeUDPPort(t)
	kill := startSender(t, port)
	d := NewDemuxer()
	defer d.Close()
	watchdog(t, d, 8*time.Second)
	if err := d.Open(fmt.Sprintf("udp://127.0.0.1:%d", port), DemuxOptions{LowLatency: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Read(); err != nil {
		t.Fatal(err)
	}
	kill()
	errc := make(chan error, 1)
	go func() {
		for {
			if _, err := d.Read(); err != nil {
				errc <- err
				return
			}
		}
	}()
	select {
	case err := <-errc:
		t.Fatalf("Read returned with no sender: %v", err)
	case <-time.After(500 * time.Millisecond):
	}
	checkInterrupts(t, d, errc)
}

// checkInterrupts interrupts d and expects the blocked call to report
// ErrInterrupted within a second.
func checkInterrupts(t *testing.T, d *Demuxer, errc <-chan error) {
	t.Helper()
	start := time.Now()
	d.Interrupt()
	select {
	case err := <-errc:
		t.Logf("returned %v after Interrupt: %v", time.Since(start).Round(time.Millisecond), err)
		if !errors.Is(err, ErrInterrupted) {
			t.Errorf("err = %v, want ErrInterrupted", err)
		}
	case <-time.After(time.Second):
		t.Error("still blocked 1 s after Interrupt")
		// The blocked call goes on using d: Close must wait for it.
		<-errc
	}
}

// An IP camera's MJPEG over HTTP: a multipart response, one JPEG per part,
// no timestamps anywhere.
func TestDemuxHTTPMultipartMJPEGLikeAnIPCamera(t *testing.T) {
	t.Parallel()
	const parts = 10
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/video" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "multipart/x-mixed-replace; boundary=frame")
		for i := range parts {
			var jpg bytes.Buffer
			if err := jpeg.Encode(&jpg, testImage(320, 240, i), nil); err != nil {
				t.Error(err)
				return
			}
			fmt.Fprintf(w, "--frame\r\nContent-Type: image/jpeg\r\nContent-Length: %d\r\n\r\n", jpg.Len())
			w.Write(jpg.Bytes())
			io.WriteString(w, "\r\n")
			w.(http.Flusher).Flush()
			time.Sleep(10 * time.Millisecond)
		}
	}))
	t.Cleanup(srv.Close)
	for _, low := range []bool{false, true} {
		t.Run(fmt.Sprintf("LowLatency=%v", low), func(t *testing.T) {
			t.Parallel()
			d := openDemuxer(t, srv.URL+"/video", DemuxOptions{LowLatency: low})
			if d.Codec() != MJPEG {
				t.Fatalf("Codec() = %v, want MJPEG", d.Codec())
			}
			pkts := readAll(t, d)
			if len(pkts) != parts {
				t.Fatalf("read %d JPEGs, want %d", len(pkts), parts)
			}
			for i, p := range pkts {
				if !p.Key {
					t.Fatalf("JPEG %d is not a keyframe", i)
				}
			}
			checkPTSIncrease(t, pkts)
			if n := decodeAll(t, MJPEG, pkts, 320, 240); n != parts {
				t.Errorf("decoded %d frames, want %d", n, parts)
			}
		})
	}
}

// testImage is a gradient that moves with n, so that no two frames are alike.
func testImage(w, h, n int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x + 8*n), uint8(y), uint8(16 * n), 255})
		}
	}
	return img
}

func TestDemuxCloseIsSafeInEveryState(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		use  func(t *testing.T, d *Demuxer)
	}{
		{"never opened", func(*testing.T, *Demuxer) {}},
		{"after a failed Open", func(t *testing.T, d *Demuxer) {
			if err := d.Open("file://"+filepath.Join(t.TempDir(), "missing.ts"), DemuxOptions{}); err == nil {
				t.Fatal("Open of a missing file succeeded")
			}
		}},
		{"after an interrupted Open", func(t *testing.T, d *Demuxer) {
			d.Interrupt()
			if err := d.Open(fmt.Sprintf("udp://127.0.0.1:%d", playtest.FreeUDPPort(t)), DemuxOptions{}); !errors.Is(err, ErrInterrupted) {
				t.Fatalf("Open after Interrupt: %v, want ErrInterrupted", err)
			}
		}},
		{"after reading a file", func(t *testing.T, d *Demuxer) {
			if err := d.Open("file://"+makeClip(t, "clip.ts", h264Args...), DemuxOptions{}); err != nil {
				t.Fatal(err)
			}
			readAll(t, d)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := NewDemuxer()
			tc.use(t, d)
			d.Close()
			d.Close()
			d.Interrupt()
			if _, err := d.Read(); err == nil {
				t.Error("Read after Close succeeded")
			}
			if err := d.Rewind(); err == nil {
				t.Error("Rewind after Close succeeded")
			}
			if err := d.Open("file:///dev/null", DemuxOptions{}); err == nil {
				t.Error("Open after Close succeeded")
			}
		})
	}
}

func TestDemuxLowLatencyUDPOptionsKeepWhatTheUserSet(t *testing.T) {
	tests := []struct {
		name, url, want string
	}{
		{"bare", "udp://127.0.0.1:8554",
			"udp://127.0.0.1:8554?fifo_size=5577&overrun_nonfatal=1&buffer_size=4194304"},
		{"existing query kept", "udp://@239.0.0.1:8554?localaddr=10.0.0.2",
			"udp://@239.0.0.1:8554?localaddr=10.0.0.2&fifo_size=5577&overrun_nonfatal=1&buffer_size=4194304"},
		{"user's fifo size and buffer win", "udp://:8554?fifo_size=100&buffer_size=65536",
			"udp://:8554?fifo_size=100&buffer_size=65536&overrun_nonfatal=1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := withUDPDefaults(tc.url); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
