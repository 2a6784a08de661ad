package player

import (
	"net/url"
	"strings"
)

// Redact returns rawURL with any password replaced by "***", for logs, error
// messages and the UI. A URL that does not parse is cut before its last '@'
// so that a password can never leak through a typo either.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		if i := strings.LastIndex(rawURL, "@"); i >= 0 {
			if j := strings.Index(rawURL, "://"); j >= 0 && j < i {
				return rawURL[:j+3] + "***@" + rawURL[i+1:]
			}
			return "***@" + rawURL[i+1:]
		}
		return rawURL
	}
	if u.User == nil {
		return rawURL
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "***")
	}
	// url.String escapes "***"; put it back for readability.
	return strings.Replace(u.String(), "%2A%2A%2A", "***", 1)
}

// password returns the password in rawURL, also from a URL that does not
// parse, or "".
func password(rawURL string) string {
	if u, err := url.Parse(rawURL); err == nil {
		if u.User == nil {
			return ""
		}
		p, _ := u.User.Password()
		return p
	}
	rest := rawURL
	if j := strings.Index(rest, "://"); j >= 0 {
		rest = rest[j+3:]
	}
	i := strings.LastIndex(rest, "@")
	if i < 0 {
		return ""
	}
	if _, p, ok := strings.Cut(rest[:i], ":"); ok {
		return p
	}
	return ""
}

// scrubPassword replaces every occurrence of pass in text, as typed and as
// URL-escaped, by "***". It is the last line of defence for texts that come
// from libraries (error messages may quote a request URL) before they reach a
// log line or a tile.
func scrubPassword(text, pass string) string {
	if pass == "" {
		return text
	}
	text = strings.ReplaceAll(text, pass, "***")
	if esc := url.PathEscape(pass); esc != pass {
		text = strings.ReplaceAll(text, esc, "***")
	}
	if esc := url.QueryEscape(pass); esc != pass {
		text = strings.ReplaceAll(text, esc, "***")
	}
	return text
}

// scrub removes the camera's password from a text meant for users or logs.
func (s *Session) scrub(text string) string { return scrubPassword(text, s.pass) }

// scrubErr is err's text without the camera's password, for log lines.
func (s *Session) scrubErr(err error) string {
	if err == nil {
		return ""
	}
	return s.scrub(err.Error())
}
