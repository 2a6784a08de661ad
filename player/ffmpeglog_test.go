package player

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
)

// damagedTS drops every 40th MPEG-TS packet of ts: the demuxer sees the
// continuity counters jump and complains about every damaged packet.
func damagedTS(ts []byte) []byte {
	var out []byte
	for i := 0; i+188 <= len(ts); i += 188 {
		if (i/188)%40 != 39 {
			out = append(out, ts[i:i+188]...)
		}
	}
	return out
}

// serveLoop serves ts over HTTP as a camera's endless stream, a loop a
// second, to requests with the user and password.
func serveLoop(t *testing.T, ts []byte, user, password string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != user || p != password {
			w.Header().Set("WWW-Authenticate", `Basic realm="camera"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "video/mp2t")
		const chunk = 7 * 188
		per := time.Second / time.Duration(len(ts)/chunk+1)
		for {
			for i := 0; i < len(ts); i += chunk {
				if _, err := w.Write(ts[i:min(i+chunk, len(ts))]); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(per):
				}
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

var ffmpegLine = regexp.MustCompile(`(?m)^.*ffmpeg=.*$`)

// FFmpeg's complaints about a camera's stream go to that camera's log (with
// its name), the same complaint at most once a minute however often FFmpeg
// repeats it, and never with the camera's password.
func TestFFmpegLogLinesAreTheCamerasOwnOncePerMinuteAndScrubbed(t *testing.T) {
	const password = "s3cret-Pw"
	srv := serveLoop(t, damagedTS(tsClip(t, 320, 240)), "viewer", password)
	var out playtest.Buffer
	url := strings.Replace(srv.URL, "http://", "http://viewer:"+password+"@", 1) + "/cam.ts"
	s := play(t, Config{Name: "damaged", URL: url, Logger: out.Logger()})
	waitState(t, s, 10*time.Second, StateLive)
	time.Sleep(4 * time.Second) // four loops of the damaged stream
	s.Close()

	log := out.String()
	lines := ffmpegLine.FindAllString(log, -1)
	if len(lines) == 0 {
		t.Fatalf("no FFmpeg line in the camera's log:\n%s", log)
	}
	seen := map[string]bool{}
	digits := regexp.MustCompile(`[0-9]+`)
	for _, l := range lines {
		if !strings.Contains(l, "camera=damaged") {
			t.Errorf("FFmpeg line without the camera: %s", l)
		}
		msg := digits.ReplaceAllString(l[strings.Index(l, "msg="):], "#")
		if seen[msg] {
			t.Errorf("logged twice within the minute: %s", l)
		}
		seen[msg] = true
	}
	t.Logf("%d FFmpeg lines:\n%s", len(lines), strings.Join(lines, "\n"))
	if strings.Contains(log, password) {
		t.Errorf("the password is in the log:\n%s", log)
	}
}
