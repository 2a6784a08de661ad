package storage

import (
	"fmt"
	"net/url"
	"os"
	"strings"
)

// ResolvedURL is the camera's URL with its user and password (from Password
// or from the environment variable PasswordEnv) put into the URL, ready for
// the RTSP client. The result holds the password: never log it unredacted.
func (c Camera) ResolvedURL() (string, error) {
	return c.resolve("url", c.URL)
}

// ResolvedSubstream is ResolvedURL for the substream; "" when the camera has
// none.
func (c Camera) ResolvedSubstream() (string, error) {
	if c.Substream == "" {
		return "", nil
	}
	return c.resolve("substream", c.Substream)
}

func (c Camera) resolve(field, raw string) (string, error) {
	label := c.label(-1)
	if raw == "" {
		return "", fmt.Errorf("%s has no %s", label, field)
	}
	u, err := parseURL(raw)
	if err != nil {
		return "", fmt.Errorf("%s: %s %w", label, field, err)
	}
	password, hasPassword, err := c.password(label)
	if err != nil {
		return "", err
	}
	if c.User == "" && !hasPassword {
		return raw, nil
	}
	user := c.User
	if u.User != nil {
		if name := u.User.Username(); name != "" {
			if user != "" {
				return "", fmt.Errorf("%s: the user is given both in %s and in user; keep one", label, field)
			}
			user = name
		}
		if p, has := u.User.Password(); has {
			if hasPassword {
				return "", fmt.Errorf("%s: the password is given both in %s and in %s; keep one", label, field, c.passwordKey())
			}
			password, hasPassword = p, true
		}
	}
	if hasPassword {
		u.User = url.UserPassword(user, password)
	} else {
		u.User = url.User(user)
	}
	return u.String(), nil
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
// camera but camera index (-1: none) has it, by the rule Validate applies:
// names differ ignoring case and surrounding spaces.
func (c *Config) UniqueName(name string, index int) string {
	taken := func(n string) bool {
		for i, cam := range c.Cameras {
			if i != index && strings.EqualFold(strings.TrimSpace(cam.Name), strings.TrimSpace(n)) {
				return true
			}
		}
		return false
	}
	n := name
	for i := 2; taken(n); i++ {
		n = fmt.Sprintf("%s (%d)", name, i)
	}
	return n
}
