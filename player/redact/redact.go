package redact

import (
	"net/url"
	"strings"
)

// Mask is what a secret is replaced by.
const Mask = "***"

// URL returns raw with its password, and the values of query parameters
// that look like secrets, replaced by Mask. A URL that does not parse is cut
// conservatively (everything between the user name and the last '@'), since
// a typo in a URL is exactly when a message shows it.
func URL(raw string) string {
	u, err := url.Parse(raw)
	if err == nil && u.Opaque == "" {
		changed := false
		if u.User != nil {
			if _, has := u.User.Password(); has {
				u.User = url.UserPassword(u.User.Username(), Mask)
				changed = true
			}
		}
		if q := query(u.RawQuery); q != u.RawQuery {
			u.RawQuery = q
			changed = true
		}
		if !changed {
			return raw
		}
		// url.String escapes the stars; they are clearer as they are.
		return strings.Replace(u.String(), ":%2A%2A%2A@", ":"+Mask+"@", 1)
	}
	prefix, rest := "", raw
	if i := strings.Index(raw, "://"); i >= 0 {
		prefix, rest = raw[:i+3], raw[i+3:]
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return raw
	}
	userinfo := Mask
	if i := strings.IndexByte(rest[:at], ':'); i >= 0 {
		userinfo = rest[:i+1] + Mask
	}
	return prefix + userinfo + rest[at:]
}

// secretKey reports whether a query parameter's name says it holds a
// secret: some cameras take their credentials in the query.
func secretKey(k string) bool {
	key, err := url.QueryUnescape(k)
	if err != nil {
		key = k
	}
	key = strings.ToLower(key)
	for _, s := range []string{"pass", "pwd", "secret", "token"} {
		if strings.Contains(key, s) {
			return true
		}
	}
	return false
}

// query masks the values of the secret parameters in a raw query.
func query(q string) string {
	if q == "" {
		return q
	}
	parts := strings.Split(q, "&")
	for i, p := range parts {
		if k, _, ok := strings.Cut(p, "="); ok && secretKey(k) {
			parts[i] = k + "=" + Mask
		}
	}
	return strings.Join(parts, "&")
}

// Secrets returns what URL would mask in raw, as written there: the
// password (also from a URL that does not parse) and the secret query
// values. Text takes them to scrub texts that quote the URL in another form.
func Secrets(raw string) []string {
	var out []string
	if u, err := url.Parse(raw); err == nil && u.Opaque == "" {
		if u.User != nil {
			if p, has := u.User.Password(); has && p != "" {
				out = append(out, p)
			}
		}
		for p := range strings.SplitSeq(u.RawQuery, "&") {
			if k, v, ok := strings.Cut(p, "="); ok && v != "" && secretKey(k) {
				if dv, err := url.QueryUnescape(v); err == nil {
					v = dv
				}
				out = append(out, v)
			}
		}
		return out
	}
	rest := raw
	if j := strings.Index(rest, "://"); j >= 0 {
		rest = rest[j+3:]
	}
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		if _, p, ok := strings.Cut(rest[:at], ":"); ok && p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Text replaces every occurrence of each secret in text, as typed and as
// URL-escaped, by Mask. It is the last line of defence for texts that come
// from libraries (an error message may quote a request URL) before they
// reach a log line or a tile.
func Text(text string, secrets ...string) string {
	for _, s := range secrets {
		if s == "" {
			continue
		}
		text = strings.ReplaceAll(text, s, Mask)
		if esc := url.PathEscape(s); esc != s {
			text = strings.ReplaceAll(text, esc, Mask)
		}
		if esc := url.QueryEscape(s); esc != s {
			text = strings.ReplaceAll(text, esc, Mask)
		}
	}
	return text
}
