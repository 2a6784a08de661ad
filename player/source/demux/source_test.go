package demux

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camwall/camwall/assets"
	"github.com/camwall/camwall/decoder"
	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/source"
)

// sink records what a source hands over.
type sink struct {
	mu     sync.Mutex
	begun  []decoder.Codec
	units  []source.Unit
	onUnit func(n int)
}

func (s *sink) Begin(c decoder.Codec) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.begun = append(s.begun, c)
}

func (s *sink) Deliver(u source.Unit) {
	s.mu.Lock()
	s.units = append(s.units, u)
	n := len(s.units)
	s.mu.Unlock()
	if s.onUnit != nil {
		s.onUnit(n)
	}
}

func (s *sink) BeginAudio(source.Audio)  {}
func (s *sink) Transport(string, string) {}
func (s *sink) DeliverAudio(source.Unit) {}
func (s *sink) Log() *slog.Logger        { return slog.New(slog.DiscardHandler) }

// A file plays as a camera: the stream begins once, with its codec, then
// units arrive paced at the file's rate, starting at a keyframe, until the
// attempt is cancelled, which Play reports as ErrClosed.
func TestFileBeginsThenDeliversUntilCancelled(t *testing.T) {
	src, err := New(Config{URL: "file://" + playtest.DemoFile(t), ReadTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if src.Address() != "" {
		t.Errorf("a file has an address to probe: %q", src.Address())
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Past the clip's end: the file loops.
	want := assets.DemoClip.Frames + 10
	s := &sink{onUnit: func(n int) {
		if n == want {
			cancel()
		}
	}}
	if err := src.Play(ctx, s); !errors.Is(err, source.ErrClosed) {
		t.Fatalf("Play = %v, want ErrClosed", err)
	}
	if len(s.begun) != 1 || s.begun[0] != decoder.H264 {
		t.Errorf("Begin calls = %v, want one with H.264", s.begun)
	}
	if len(s.units) < want || !s.units[0].Key {
		t.Fatalf("%d units, first a keyframe: %v; want %d from a keyframe", len(s.units), len(s.units) > 0 && s.units[0].Key, want)
	}
	// Paced at 30 fps: the 40th unit is due 39/30 s after the first.
	if d := s.units[39].PTS - s.units[0].PTS; d != 39*90000/30 {
		t.Errorf("40th unit %d ticks after the first, want %d", d, 39*90000/30)
	}
}

// A UDP input that nobody sends to ends with the watchdog's reason, with the
// source's own explanation after it, and never begins a stream.
func TestSilentInputEndsWithTheStalledReason(t *testing.T) {
	port := playtest.FreeUDPPort(t)
	src, err := New(Config{URL: fmt.Sprintf("udp://127.0.0.1:%d", port), ReadTimeout: 300 * time.Millisecond, Stalled: ": is it on?"})
	if err != nil {
		t.Fatal(err)
	}
	s := &sink{}
	err = src.Play(context.Background(), s)
	var e *source.Error
	if !errors.As(err, &e) || e.Reason != "no video received for 300ms: is it on?" {
		t.Fatalf("Play = %v, want the stalled reason", err)
	}
	if len(s.begun) != 0 || len(s.units) != 0 {
		t.Errorf("a silent input began %v and delivered %d units", s.begun, len(s.units))
	}
}

func TestNewChecksTheURLAndCarriesCredentialsToFFmpeg(t *testing.T) {
	tests := []struct {
		name      string
		cfg       Config
		wantErr   error
		wantInput string
		wantShown string
		wantAddr  string
	}{
		{name: "file without a path is a configuration mistake", cfg: Config{URL: "file://"}, wantErr: source.ErrBadURL},
		{name: "file path without escapes", cfg: Config{URL: "file:///srv/a%20b.ts"}, wantInput: "file:/srv/a b.ts", wantShown: "file:///srv/a%20b.ts"},
		{name: "http credentials from the fields go into what FFmpeg opens, not what is shown",
			cfg:       Config{URL: "http://cam.local/video", User: "admin", Password: "s3cret"},
			wantInput: "http://admin:s3cret@cam.local/video", wantShown: "http://cam.local/video", wantAddr: "cam.local:80"},
		{name: "credentials in the url are shown masked",
			cfg:       Config{URL: "http://admin:s3cret@127.0.0.1:8080/v"},
			wantInput: "http://admin:s3cret@127.0.0.1:8080/v", wantShown: "http://admin:***@127.0.0.1:8080/v", wantAddr: "127.0.0.1:8080"},
		{name: "udp has no address to probe", cfg: Config{URL: "udp://@:5000"}, wantInput: "udp://@:5000", wantShown: "udp://@:5000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src, err := New(tc.cfg)
			if tc.wantErr != nil {
				var e *source.Error
				if !errors.Is(err, tc.wantErr) || !errors.As(err, &e) || !e.Permanent {
					t.Fatalf("New = %v, want a permanent %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if src.input != tc.wantInput || src.shown != tc.wantShown || src.Address() != tc.wantAddr {
				t.Errorf("input %q shown %q address %q; want %q %q %q", src.input, src.shown, src.Address(), tc.wantInput, tc.wantShown, tc.wantAddr)
			}
			if strings.Contains(src.shown, "s3cret") {
				t.Errorf("shown %q holds the password", src.shown)
			}
		})
	}
}

// An http:// camera that redirects is not followed, so its password cannot
// be sent where the redirect points; the reason says where that is, without
// the password the Location carries, and retries slowly.
func TestHTTPRedirectIsNotFollowedAndTheReasonSaysWhere(t *testing.T) {
	var followed atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		followed.Add(1)
		http.NotFound(w, r)
	}))
	t.Cleanup(target.Close)
	elsewhere := "http://viewer:hunter22@" + target.Listener.Addr().String() + "/live"
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere, http.StatusFound)
	}))
	t.Cleanup(web.Close)
	src, err := New(Config{URL: web.URL + "/video", User: "admin", Password: "s3cret-pw", ReadTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	e := source.Explain(src.Play(context.Background(), &sink{}))
	want := "the camera redirected to http://viewer:***@" + target.Listener.Addr().String() + "/live (HTTP 302)"
	if !strings.HasPrefix(e.Reason, want) || !e.SlowRetry {
		t.Errorf("reason %q (slow retry %v), want it to start %q and retry slowly", e.Reason, e.SlowRetry, want)
	}
	for _, secret := range []string{"hunter22", "s3cret-pw"} {
		if strings.Contains(e.Reason, secret) {
			t.Errorf("reason shows %q: %s", secret, e.Reason)
		}
	}
	if n := followed.Load(); n != 0 {
		t.Errorf("the redirect's target got %d requests, want none", n)
	}
}
