package redact

import (
	"net/url"
	"strings"
	"unicode"
)

// secretStems are the parts of a parameter's name that make it secret
// wherever they appear in it, in any case: password, passwd, pass,
// loginpass, pwd, secret, client_secret, token, access_token, auth,
// authorization, X-Amz-Signature, X-Amz-Credential, apikey. They are long
// or odd enough not to turn up by chance in the names cameras use for their
// channels and streams ("author" would be hidden too, which is harmless).
var secretStems = []string{"pass", "pwd", "secret", "token", "auth", "signature", "credential", "apikey"}

// secretWords make a name secret only as one of its words (split at
// anything but a letter or digit and at camelCase): key is secret in
// api_key, x-api-key and apiKey but not in keyframe; user in user and
// user_name but not in userid. The user is hidden in the query and in
// path-style credentials, where it travels beside the password; the user
// of the userinfo (admin in rtsp://admin:…@host) is shown, since it says
// which account a message is about and a parser always finds it.
var secretWords = map[string]bool{
	"user": true, "username": true, "usr": true, "login": true, "loginuse": true, "loginpas": true,
	"key": true, "sig": true, "pw": true, "psw": true,
}

// secretKey reports whether a parameter's name says it holds a secret:
// some cameras take their credentials in the query or the path.
func secretKey(k string) bool {
	if u, err := url.QueryUnescape(k); err == nil {
		k = u
	}
	lower := strings.ToLower(k)
	for _, s := range secretStems {
		if strings.Contains(lower, s) {
			return true
		}
	}
	for _, w := range words(k) {
		if secretWords[strings.ToLower(w)] {
			return true
		}
	}
	return false
}

// words splits a name at every character that is not a letter or digit
// and where camelCase starts a word: "x-apiKey" is x, api, Key.
func words(k string) []string {
	var out []string
	rs := []rune(k)
	begin := -1
	for i, r := range rs {
		alnum := unicode.IsLetter(r) || unicode.IsDigit(r)
		camel := begin >= 0 && unicode.IsUpper(r) &&
			(unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]) ||
				unicode.IsUpper(rs[i-1]) && i+1 < len(rs) && unicode.IsLower(rs[i+1]))
		if begin >= 0 && (!alnum || camel) {
			out = append(out, string(rs[begin:i]))
			begin = -1
		}
		if alnum && begin < 0 {
			begin = i
		}
	}
	if begin >= 0 {
		out = append(out, string(rs[begin:]))
	}
	return out
}
