package storage

import (
	"fmt"
	"os"
	"strings"
	"unicode"
)

// Stream is where one of a camera's streams is, and how to log in to it:
// the URL without a user or password, which travel beside it to the source
// that uses them. Password is a secret: never log it.
type Stream struct {
	URL            string
	User, Password string
}

// MainStream is the camera's main stream, with its user and password from
// the url, user, password or the environment variable password_env.
func (c Camera) MainStream() (Stream, error) {
	return c.resolve("url", c.URL)
}

// SubStream is MainStream for the substream; the zero Stream when the
// camera has none.
func (c Camera) SubStream() (Stream, error) {
	if c.Substream == "" {
		return Stream{}, nil
	}
	return c.resolve("substream", c.Substream)
}

// resolve takes the credentials out of raw and adds the camera's own,
// refusing a user or password given twice.
func (c Camera) resolve(field, raw string) (Stream, error) {
	label := c.label(-1)
	if raw == "" {
		return Stream{}, fmt.Errorf("%s has no %s", label, field)
	}
	u, err := parseURL(raw)
	if err != nil {
		return Stream{}, fmt.Errorf("%s: %s %w", label, field, err)
	}
	password, hasPassword, err := c.password(label)
	if err != nil {
		return Stream{}, err
	}
	st := Stream{URL: raw, User: c.User, Password: password}
	if u.User == nil {
		return st, nil
	}
	if name := u.User.Username(); name != "" {
		if st.User != "" {
			return Stream{}, fmt.Errorf("%s: the user is given both in %s and in user; keep one", label, field)
		}
		st.User = name
	}
	if p, has := u.User.Password(); has {
		if hasPassword {
			return Stream{}, fmt.Errorf("%s: the password is given both in %s and in %s; keep one", label, field, c.passwordKey())
		}
		st.Password = p
	}
	u.User = nil
	st.URL = u.String()
	return st, nil
}

// password is the camera's password and whether it has one.
func (c Camera) password(label string) (string, bool, error) {
	switch {
	case c.Password != "" && c.PasswordEnv != "":
		return "", false, fmt.Errorf("%s: password and password_env are both set; keep one", label)
	case c.PasswordEnv != "":
		v, ok := os.LookupEnv(c.PasswordEnv)
		if !ok {
			return "", false, fmt.Errorf("%s: the environment variable %s named by password_env is not set", label, c.PasswordEnv)
		}
		if v == "" {
			return "", false, fmt.Errorf("%s: the environment variable %s named by password_env is empty", label, c.PasswordEnv)
		}
		return v, true, nil
	case c.Password != "":
		return c.Password, true, nil
	}
	return "", false, nil
}

// passwordKey is the key that holds the camera's password, for messages.
func (c Camera) passwordKey() string {
	if c.PasswordEnv != "" {
		return "password_env"
	}
	return "password"
}

// label names camera i (0-based, -1 when unknown) in messages.
func (c Camera) label(i int) string {
	if name := strings.TrimSpace(c.Name); name != "" {
		return "camera " + quote(name)
	}
	if i < 0 {
		return "unnamed camera"
	}
	return fmt.Sprintf("camera #%d", i+1)
}

// UniqueName is name, or name with " (2)", " (3)"… appended, such that no
// camera but camera index (-1: none) has it, by the rules Validate applies:
// names differ ignoring case and surrounding spaces, and so do the folder
// names they become (SanitizeName). A long name is shortened to make room
// for the number, which would otherwise be cut from its folder name.
func (c *Config) UniqueName(name string, index int) string {
	taken := func(n string) bool {
		for i, cam := range c.Cameras {
			if i == index {
				continue
			}
			other := strings.TrimSpace(cam.Name)
			if strings.EqualFold(other, strings.TrimSpace(n)) || other != "" && sameFolder(other, n) {
				return true
			}
		}
		return false
	}
	n := name
	for i := 2; taken(n); i++ {
		suffix := fmt.Sprintf(" (%d)", i)
		base := name
		// One byte to spare: SanitizeName may put a _ before the name.
		if room := maxNameBytes - len(suffix) - 1; len(base) > room {
			base = strings.TrimRightFunc(truncate(base, room), unicode.IsSpace)
		}
		n = base + suffix
	}
	return n
}

// sameFolder reports whether camera names a and b become the same folder
// name, ignoring case as Windows and macOS do: two such cameras would mix
// their files, and retention would delete one's for the other.
func sameFolder(a, b string) bool {
	return strings.EqualFold(SanitizeName(a), SanitizeName(b))
}
