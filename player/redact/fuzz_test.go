package redact

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

// fuzzKeys are the parameter names the fuzz target puts a secret under.
var fuzzKeys = []string{"password", "PassWord", "pwd", "passwd", "token", "access_token", "api_key", "X-Signature", "auth", "secret", "key", "user"}

// fuzzShapes build a camera URL around a user and a secret, each in one of
// the places a secret goes. ok says whether the secret can sit there as
// given: a secret that holds the separator ending its value (& or ; in a
// query, also / in a path) turns the rest of it into other parameters, a
// URL that says something else, so the shape does not take it.
var fuzzShapes = []struct {
	name  string
	ok    func(secret string) bool
	build func(user, key, secret string) string
}{
	{"userinfo as typed", always, func(u, _, s string) string { return "rtsp://" + u + ":" + s + "@cam.example:554/stream" }},
	{"userinfo escaped", always, func(u, _, s string) string {
		return "rtsp://" + url.UserPassword(u, s).String() + "@cam.example:554/stream"
	}},
	{"query as typed", noneOf("&;"), func(_, k, s string) string { return "http://cam.example/video.mjpg?" + k + "=" + s + "&fps=10" }},
	{"query escaped", always, func(_, k, s string) string {
		return "http://cam.example/video.mjpg?" + k + "=" + url.QueryEscape(s) + "&fps=10"
	}},
	{"path-style with &", noneOf("&;/"), func(u, k, s string) string {
		return "rtsp://cam.example/user=" + u + "&" + k + "=" + s + "&channel=1&stream=0.sdp"
	}},
	{"path-style with ;", noneOf("&;/"), func(u, k, s string) string {
		return "rtsp://cam.example/user=" + u + ";" + k + "=" + s + ";channel=1"
	}},
	{"path-style joined by _", noneOf("&;/"), func(u, k, s string) string {
		return "rtsp://cam.example/user=" + u + "_" + k + "=" + s + "_channel=1_stream=0.sdp"
	}},
	{"fragment", noneOf("&;"), func(_, k, s string) string { return "http://cam.example/v.mjpg#" + k + "=" + s }},
}

func always(string) bool { return true }

func noneOf(chars string) func(string) bool {
	return func(s string) bool { return !strings.ContainsAny(s, chars) }
}

// FuzzURL builds camera URLs around fuzzed secrets and asserts that no
// secret survives URL, nor Text with Secrets over a message quoting the URL
// as typed and (unless Check refuses it) as net/url writes it back.
//
// A secret is asserted only when it is one that could not turn up in the
// output anyway: at least 4 bytes (a one-letter password occurs in any
// text), without the * of the Mask (which a masked output is made of), and
// found nowhere in the URL and message once it is taken out (a secret
// "cam." is part of the host). The user is fuzzed as well, but is shown in a
// userinfo by design, so only the secret is asserted.
func FuzzURL(f *testing.F) {
	for i, seed := range []struct{ user, secret string }{
		{"admin", "hunter2"}, {"viewer", "77#x"}, {"u", "p@ss/w?rd#1"}, {"admin", "a%zz"},
		{"a/b", "secret:with:colons"}, {"x@y", "sl/ash@at"}, {"", "base64==="}, {"admin", "s p a c e"},
		{"admin", "tlJwpbo6_channel=1"}, {"u:v", "Ünïcødé"}, {"admin", "?token=abcd"}, {"admin", "a+b%2Bc"},
	} {
		f.Add(uint8(i), uint8(i), seed.user, seed.secret)
	}
	f.Fuzz(func(t *testing.T, shape, key uint8, user, secret string) {
		sh := fuzzShapes[int(shape)%len(fuzzShapes)]
		k := fuzzKeys[int(key)%len(fuzzKeys)]
		if len(secret) < 4 || strings.Contains(secret, "*") || !sh.ok(secret) {
			return
		}
		raw := sh.build(user, k, secret)
		const say = "camera failed: open %s: i/o error; "
		skeleton := say + sh.build(user, k, Mask)
		if strings.Contains(skeleton, secret) {
			return
		}
		forms := []string{secret}
		for _, f := range []string{url.PathEscape(secret), url.QueryEscape(secret), strings.TrimPrefix(url.UserPassword("", secret).String(), ":")} {
			if !strings.Contains(skeleton, f) && !strings.Contains(f, "*") {
				forms = append(forms, f)
			}
		}
		leaks := func(out string) string {
			for _, f := range forms {
				if strings.Contains(out, f) {
					return f
				}
			}
			return ""
		}
		if shown := URL(raw); leaks(shown) != "" {
			t.Fatalf("%s: URL(%q) = %q shows %q", sh.name, raw, shown, leaks(shown))
		}
		msg := strings.Replace(say, "%s", raw, 1)
		// How a library writes back a URL it parsed, for the URLs one is
		// given: camwall refuses those that Check refuses before anything
		// parses them, and a parser that misreads one re-escapes pieces of
		// the password in ways no list of forms can follow.
		if u, err := url.Parse(raw); err == nil && Check(raw) == nil {
			msg += "GET " + u.String()
		}
		if out := Text(msg, Secrets(raw)...); leaks(out) != "" {
			t.Fatalf("%s: Text(%q, Secrets) = %q shows %q (Secrets %q)", sh.name, msg, out, leaks(out), Secrets(raw))
		}
	})
}

// FuzzSecretsCoverWhatAParserSends takes any text as a URL and asserts that
// whatever net/url takes from it as a secret (what a library would send and
// quote in its errors) is among Secrets, so that Text hides it: the
// userinfo's password, and the values of the query's parameters whose names
// say secret. (That URL masks them is FuzzURL's to check: in text of any
// shape, a secret may also occur where it is not one.)
func FuzzSecretsCoverWhatAParserSends(f *testing.F) {
	for _, seed := range []string{
		"rtsp://admin:hunter2@h/s", "rtsp://viewer:77#x@h/p", "rtsp://u:p@ss@h/s", "http://h/v?password=ab#cd",
		"http://h/v?pass[1]=abcd&x=1", "http://h/v?a=1&Token=abcd%20ef", "rtsp://h/user=a&password=b", "http://u:p%41ss@h/?key=k+k",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse(raw)
		if err != nil {
			return
		}
		var sent []string
		if p, ok := u.User.Password(); ok {
			sent = append(sent, p)
		}
		q, _ := url.ParseQuery(u.RawQuery) // the pairs it can read
		for k, vs := range q {
			if secretKey(k) {
				sent = append(sent, vs...)
			}
		}
		secrets := Secrets(raw)
		for _, s := range sent {
			if s == "" {
				continue
			}
			if !slices.Contains(secrets, s) {
				t.Fatalf("URL %q: a parser sends %q, which is not among Secrets %q", raw, s, secrets)
			}
		}
	})
}
