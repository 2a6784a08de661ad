package player

import "testing"

func TestRedact(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"password hidden", "rtsp://admin:hunter2@10.0.0.1:554/s", "rtsp://admin:***@10.0.0.1:554/s"},
		{"user alone kept", "rtsp://admin@10.0.0.1/s", "rtsp://admin@10.0.0.1/s"},
		{"no credentials unchanged", "rtsp://127.0.0.1:8554/demo/1", "rtsp://127.0.0.1:8554/demo/1"},
		{"unparsable URL still hides the password", "rtsp://a:b@[::1", "rtsp://***@[::1"},
		{"password with reserved characters", "rtsp://u:p%40ss@h/s", "rtsp://u:***@h/s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Redact(tc.in); got != tc.want {
				t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
