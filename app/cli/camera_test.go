package cli

import (
	"strings"
	"testing"

	"github.com/camwall/camwall/player/redact/redacttest"
	"github.com/camwall/camwall/storage"
)

// A camera given by --url is named by its host and path, as redact.URL
// shows them; the name becomes its folder and the start of its files.
func TestURLCamerasAreNamedWithoutTheirSecrets(t *testing.T) {
	tests := []struct{ name, url, want string }{
		{"host and path", "rtsp://192.0.2.10:554/stream1?channel=1", "192.0.2.10:554/stream1"},
		{"no user or password", "rtsp://admin:pw-Secret1@192.0.2.10/s", "192.0.2.10/s"},
		{"path-style credentials masked", "rtsp://192.0.2.10/user=admin&password=pw-Secret1&channel=1", "192.0.2.10/user=***&password=***&channel=1"},
		{"a password that reads as a host is not the name", "rtsp://viewer:77#x@192.0.2.10/p", "192.0.2.10/p"},
		{"unparsable, cut as text", "rtsp://admin:pw-Secret1@[::1/s?token=t", "[::1/s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := urlName(tc.url); got != tc.want {
				t.Errorf("urlName(%q) = %q, want %q", tc.url, got, tc.want)
			}
		})
	}
	for _, sh := range redacttest.Shapes {
		t.Run(sh.Name, func(t *testing.T) {
			raw := sh.At("127.0.0.1:8554")
			if err := checkURLs([]string{raw}, ""); (err != nil) != sh.Invalid {
				t.Errorf("checkURLs error %v, want one: %v", err, sh.Invalid)
			}
			cfg := urlConfig(raw, "")
			for _, name := range []string{cfg.Name, storage.SanitizeName(cfg.Name)} {
				if leaked := sh.Leaked(name); leaked != nil || strings.Contains(name, "@") {
					t.Errorf("named %q", name)
				}
			}
		})
	}
}
