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
