package player

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/redact/redacttest"
	"github.com/camwall/camwall/player/rtspserver"
	"github.com/camwall/camwall/player/source"
)

// Every URL shape, played by a real session against a closed loopback
// port: the tile's reason, the URL the session shows and every line it logs
// (debug up) hold no secret; a URL the configuration would refuse fails at
// once, one whose password reads as a host with how to encode it.
func TestSessionShowsNoSecretOfAnyURLShape(t *testing.T) {
	closed := playtest.FreeTCPAddr(t)
	for _, sh := range redacttest.Shapes {
		t.Run(sh.Name, func(t *testing.T) {
			var logs playtest.Buffer
			s := New(Config{Name: "shape", URL: sh.At(closed), MinBackoff: time.Minute, Logger: logs.Logger()})
			s.Start()
			defer s.Close()
			playtest.WaitFor(t, 10*time.Second, "state never left connecting", func() bool {
				st := s.Status().State
				return st == StateFailed || st == StateReconnecting
			})
			st := s.Status()
			if failed := st.State == StateFailed; failed != sh.Invalid {
				t.Errorf("state %v (%s), want failed: %v", st.State, st.Reason, sh.Invalid)
			}
			if sh.Rejected && !strings.Contains(st.Reason, "%23") {
				t.Errorf("reason %q does not say how to encode the password", st.Reason)
			}
			for what, text := range map[string]string{"reason": st.Reason, "URL": s.URL(), "log": logs.String()} {
				if leaked := sh.Leaked(text); leaked != nil {
					t.Errorf("the %s shows %q:\n%s", what, leaked, text)
				}
			}
			if !strings.Contains(logs.String(), "camera=shape") {
				t.Errorf("nothing logged:\n%s", logs.String())
			}
		})
	}
}

// A panic in a session whose camera URL carries secrets (here raised on
// the decode goroutine of a real stream, with a message quoting the URL and
// its secrets, as a library's might) reaches the tile and the log scrubbed.
func TestSessionPanicShowsNoSecretOfAnyURLShape(t *testing.T) {
	srv := playtest.StartServer(t, &rtspserver.Server{NoPublishers: true})
	clip := playtest.DemoClip(t)
	for _, p := range redacttest.PlayedPaths() {
		if err := srv.Loop(p, clip); err != nil {
			t.Fatal(err)
		}
	}
	for _, sh := range redacttest.Shapes {
		if !sh.Plays {
			continue
		}
		t.Run(sh.Name, func(t *testing.T) {
			raw := sh.At(srv.Address())
			var logs playtest.Buffer
			s := New(Config{Name: "panicky", URL: raw, MinBackoff: time.Minute, Logger: logs.Logger()})
			var units atomic.Int64
			s.decodeHook = func(source.Unit) {
				if units.Add(1) == 1 {
					panic(fmt.Sprintf("cannot decode %s (credentials %s)", raw, strings.Join(sh.Secrets, " ")))
				}
			}
			s.Start()
			defer s.Close()
			playtest.WaitFor(t, 10*time.Second, "no panic reported", func() bool {
				return strings.Contains(s.Status().Reason, "internal error")
			})
			st := s.Status()
			if !strings.Contains(logs.String(), "camera session panicked") {
				t.Errorf("the panic is not logged:\n%s", logs.String())
			}
			for what, text := range map[string]string{"reason": st.Reason, "log": logs.String()} {
				if leaked := sh.Leaked(text); leaked != nil {
					t.Errorf("the %s shows %q:\n%s", what, leaked, text)
				}
			}
		})
	}
}
