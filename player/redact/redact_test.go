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
		{"password and user in the query", "http://h/cgi?user=admin&password=" + secret + "&x=1", "http://h/cgi?user=***&password=***&x=1"},
		{"empty password shows nothing to hide", "rtsp://admin:@h/s", "rtsp://admin:@h/s"},
		{"empty query password shows nothing to hide", "http://h/cgi?password=&x=1", "http://h/cgi?password=&x=1"},
		{"query value that holds = (base64)", "http://h/v?auth=YWRtaW46cHc=&x=1", "http://h/v?auth=***&x=1"},
		{"query value running over an unescaped / and #", "http://h/v?password=a/b#c&x=1", "http://h/v?password=***&x=1"},
		{"path-style value ends at /", "rtsp://h/password=" + secret + "/channel=1", "rtsp://h/password=***/channel=1"},
		{"secret key joined by _ after a plain one", "rtsp://h/channel=1_user=admin_password=" + secret, "rtsp://h/channel=1_user=***"},
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
		{"escaped password as written and decoded", "rtsp://u:p%40ss@h/s", []string{"p%40ss", "p@ss"}},
		{"query secret", "http://h/cgi?pwd=" + secret + "&x=1", []string{secret}},
		{"query secret decoded as a query", "http://h/cgi?pwd=a+b%21", []string{"a b!", "a+b!", "a+b%21"}},
		{"unparsable", "rtsp://a:" + secret + "@[::1", []string{secret}},
		{"each @ that may end the password", "rtsp://u:p/w@x@h/s", []string{"p/w", "p/w@x"}},
		{"user and password joined by _", "rtsp://h/user=admin_password=" + secret + "_channel=1",
			[]string{"admin", "admin_password=" + secret + "_channel=1", secret}},
		{"an = in a secret is not a joined parameter", "http://h/v?token=abc==", []string{"abc=="}},
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
		{"userinfo escaped", "GET rtsp://u:p%2Fs%3Fs@h/", "p/s?s", "GET rtsp://u:***@h/"},
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

func TestTextHidesOverlappingSecretsWhole(t *testing.T) {
	tests := []struct {
		name, text string
		secrets    []string
		want       string
	}{
		{"a password inside a token", "token=abcdefgh pw=abcd", []string{"abcd", "abcdefgh"}, "token=*** pw=***"},
		{"two secrets that overlap", "x=userinfo@value y", []string{"userinfo@", "o@value"}, "x=*** y"},
		{"a secret that overlaps itself", "aaaaa", []string{"aaaa"}, "***"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Text(tc.text, tc.secrets...); got != tc.want {
				t.Errorf("Text(%q, %q) = %q, want %q", tc.text, tc.secrets, got, tc.want)
			}
		})
	}
}

func TestSecretKeyNames(t *testing.T) {
	tests := []struct {
		key    string
		secret bool
	}{
		{"password", true}, {"PASSWORD", true}, {"passwd", true}, {"pass", true}, {"pwd", true}, {"loginpas", true},
		{"user", true}, {"User", true}, {"username", true}, {"user_name", true}, {"usr", true}, {"login", true}, {"loginuse", true},
		{"token", true}, {"access_token", true}, {"authToken", true}, {"auth", true}, {"Authorization", true},
		{"key", true}, {"api_key", true}, {"x-api-key", true}, {"apiKey", true}, {"APIKey", true}, {"apikey", true},
		{"secret", true}, {"client_secret", true}, {"signature", true}, {"X-Amz-Signature", true}, {"X-Amz-Credential", true}, {"sig", true},
		{"p%61ssword", true},
		{"channel", false}, {"subtype", false}, {"stream", false}, {"keyframe", false}, {"userid", false}, {"monkey", false},
		{"fps", false}, {"resolution", false}, {"proto", false}, {"unicast", false}, {"", false},
	}
	for _, tc := range tests {
		if got := secretKey(tc.key); got != tc.secret {
			t.Errorf("secretKey(%q) = %v, want %v", tc.key, got, tc.secret)
		}
	}
}

func TestCheckRefusesAPasswordThatReadsAsAHost(t *testing.T) {
	tests := []struct {
		name, url string
		refused   bool
	}{
		{"password with #, read as port 77", "rtsp://viewer:77#x@h/p", true},
		{"password with /, read as a path", "rtsp://viewer:pa/ss@h/p", true},
		{"user with /, read as a path", "rtsp://us/er:pass@h/p", true},
		{"@ in the path after host:port", "rtsp://h:554/a@b", true},
		{"percent-encoded password", "rtsp://viewer:77%23x@h/p", false},
		{"raw @ in the password, which Go reads right", "rtsp://u:p@ss@h/p", false},
		{"@ in the path after a bare host: no password to misplace", "rtsp://h/a@b", false},
		{"no userinfo", "rtsp://h:554/p?x=1", false},
		{"unparsable, but not this way", "rtsp://u:p@[::1", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(tc.url)
			if (err != nil) != tc.refused {
				t.Fatalf("Check(%q) = %v, want refused %v", tc.url, err, tc.refused)
			}
			if err != nil && !strings.Contains(err.Error(), "%23") {
				t.Errorf("the refusal does not say how to encode: %v", err)
			}
		})
	}
}
