package redact

import (
	"errors"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
)

const secret = "hunter2"

func TestURLHidesEverySecret(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"password hidden", "rtsp://admin:" + secret + "@10.0.0.1:554/s", "rtsp://admin:***@10.0.0.1:554/s"},
		{"user alone kept", "rtsp://admin@10.0.0.1/s", "rtsp://admin@10.0.0.1/s"},
		{"no credentials unchanged", "rtsp://127.0.0.1:8554/demo/1?x=1", "rtsp://127.0.0.1:8554/demo/1?x=1"},
		{"escaped password", "rtsp://u:p%40ss@h/s", "rtsp://u:***@h/s"},
		{"password in the query", "http://h/cgi?user=admin&password=" + secret + "&x=1", "http://h/cgi?user=admin&password=***&x=1"},
		{"token in the query", "http://h/v?Token=" + secret, "http://h/v?Token=***"},
		{"file path unchanged", "file:///srv/clips/a.ts", "file:///srv/clips/a.ts"},
		{"bare path unchanged", "/srv/clips/a.ts", "/srv/clips/a.ts"},
		{"unparsable with an unescaped slash", "rtsp://u:" + secret + "/x@h/s", "rtsp://u:***@h/s"},
		{"unparsable with an unescaped @", "rtsp://u:p@" + secret + "@[::1", "rtsp://u:***@[::1"},
		{"unparsable escape", "http://admin:p%zz@cam.local/video", "http://admin:***@cam.local/video"},
		{"no scheme", "u:" + secret + "@h", "u:***@h"},
		{"no colon in the userinfo of an unparsable url", "rtsp://" + secret + "@[::1", "rtsp://***@[::1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := URL(tc.in); got != tc.want {
				t.Errorf("URL(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestSecretsFindsWhatURLMasks(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"none", "rtsp://admin@h/s", nil},
		{"password", "rtsp://admin:" + secret + "@h/s", []string{secret}},
		{"escaped password unescaped", "rtsp://u:p%40ss@h/s", []string{"p@ss"}},
		{"query secret", "http://h/cgi?pwd=" + secret + "&x=1", []string{secret}},
		{"unparsable", "rtsp://a:" + secret + "@[::1", []string{secret}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Secrets(tc.in); !slices.Equal(got, tc.want) {
				t.Errorf("Secrets(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestTextScrubsSecretsAsTypedAndEscaped(t *testing.T) {
	tests := []struct{ name, text, secret, want string }{
		{"as typed", "dial u:p@ss@h failed", "p@ss", "dial u:***@h failed"},
		{"path escaped", "GET rtsp://u:p%40ss@h/", "p@ss", "GET rtsp://u:***@h/"},
		{"query escaped", "GET /?pwd=a+b", "a b", "GET /?pwd=***"},
		{"no secret leaves the text alone", "all fine", "", "all fine"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Text(tc.text, tc.secret); got != tc.want {
				t.Errorf("Text(%q, %q) = %q, want %q", tc.text, tc.secret, got, tc.want)
			}
		})
	}
}

func TestHandlerKeepsSecretsOutOfEveryPartOfARecord(t *testing.T) {
	var buf strings.Builder
	log := slog.New(Handler(slog.NewTextHandler(&buf, nil), secret, ""))
	log = log.With("url", "rtsp://u:"+secret+"@h/")
	log.Info("dial "+secret, "err", errors.New("GET /?pwd="+secret), "group", slog.GroupValue(slog.String("inner", secret)), "n", 3)
	out := buf.String()
	if strings.Contains(out, secret) {
		t.Errorf("the secret leaks: %s", out)
	}
	for _, want := range []string{"dial ***", "pwd=***", "u:***@h", "inner=***", "n=3"} {
		if !strings.Contains(out, want) {
			t.Errorf("%q missing from %s", want, out)
		}
	}
}

func TestHandlerWithoutSecretsIsTheHandlerItself(t *testing.T) {
	h := slog.NewTextHandler(io.Discard, nil)
	if Handler(h, "") != slog.Handler(h) {
		t.Error("a handler with nothing to hide is wrapped anyway")
	}
}
