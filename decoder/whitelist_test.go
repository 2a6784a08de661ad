package decoder

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/camwall/camwall/player/playtest"
)

// sdpFile is an SDP description, which FFmpeg's sdp demuxer would follow by
// receiving RTP on a UDP port of its own choosing.
func sdpFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "camera.sdp")
	sdp := fmt.Sprintf("v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=camera\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"+
		"m=video %d RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n", playtest.FreeUDPPort(t))
	if err := os.WriteFile(p, []byte(sdp), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Each kind of input is read only through its own protocols and formats:
// an input that needs another is refused, with the reason, before FFmpeg
// opens anything more.
func TestInputsNeedingAnotherProtocolOrFormatAreRefused(t *testing.T) {
	mp4 := makeClip(t, "clip.mp4", h264Args...)
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, mp4) }))
	t.Cleanup(web.Close)
	tests := []struct {
		name string
		url  string
		want error
		text string
	}{
		{"an SDP file, which opens RTP", "file://" + sdpFile(t), ErrFormatNotAllowed,
			"camwall reads MPEG-TS, MP4, Matroska, raw H.264/H.265 or MJPEG from a file:// input, and this is something else"},
		{"an MP4 file over HTTP", web.URL + "/clip.mp4", ErrFormatNotAllowed,
			"camwall reads multipart MJPEG, MPEG-TS or raw H.264/H.265 from a http:// input, and this is something else"},
		{"an rtp:// input", fmt.Sprintf("rtp://127.0.0.1:%d", playtest.FreeUDPPort(t)), ErrProtocolNotAllowed,
			"camwall does not read rtp: inputs"},
		{"a pipe", "pipe:0", ErrProtocolNotAllowed, "camwall does not read pipe: inputs"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := NewDemuxer()
			defer d.Close()
			err := d.Open(tc.url, DemuxOptions{Name: "the camera"})
			if !errors.Is(err, tc.want) {
				t.Fatalf("Open: %v, want %v", err, tc.want)
			}
			var refused *RefusedError
			if !errors.As(err, &refused) || refused.Error() != tc.text {
				t.Errorf("reason %q, want %q", refused, tc.text)
			}
		})
	}
}

// An http:// input that redirects is not followed, to another host or to
// the same one: FFmpeg would send the next request, and after a 401 the
// camera's password, wherever the redirect points.
func TestHTTPRedirectsAreNotFollowed(t *testing.T) {
	ts := makeClip(t, "clip.ts", h264Args...)
	var followed atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		followed.Add(1)
		http.ServeFile(w, r, ts)
	}))
	t.Cleanup(target.Close)
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/elsewhere":
			http.Redirect(w, r, target.URL+"/clip.ts", http.StatusFound)
		case "/moved":
			http.Redirect(w, r, "/clip.ts", http.StatusMovedPermanently)
		default:
			http.ServeFile(w, r, ts)
		}
	}))
	t.Cleanup(web.Close)
	for _, path := range []string{"/elsewhere", "/moved"} {
		d := NewDemuxer()
		err := d.Open(web.URL+path, DemuxOptions{Name: "the camera"})
		d.Close()
		if err == nil {
			t.Errorf("%s: opened, want the redirect refused", path)
		}
	}
	if n := followed.Load(); n != 0 {
		t.Errorf("the redirect's target got %d requests, want none", n)
	}
}

// What each kind is for still opens: MP4 and raw H.264 from files,
// MPEG-TS over HTTP.
func TestInputsOfTheirOwnKindOpen(t *testing.T) {
	ts := makeClip(t, "clip.ts", h264Args...)
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, ts) }))
	t.Cleanup(web.Close)
	for _, url := range []string{"file://" + makeClip(t, "clip.mp4", h264Args...), "file://" + playtest.DemoFile(t), web.URL + "/clip.ts"} {
		d := openDemuxer(t, url, DemuxOptions{})
		if d.Codec() != H264 {
			t.Errorf("%s: codec %v, want H.264", url, d.Codec())
		}
	}
}
