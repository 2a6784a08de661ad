package cli

import (
	"net/url"
	"strings"

	"github.com/camwall/camwall/player"
	"github.com/camwall/camwall/player/redact"
	"github.com/camwall/camwall/player/source/rtsp"
	"github.com/camwall/camwall/storage"
)

// urlConfig is the session of a camera given by URL on the command line
// instead of by its name in the configuration: the URL as typed (any user
// and password in it are the session's to hide), once checkURLs has held it
// to the rules of the configuration's url. Configured cameras go through
// player.CameraConfig instead.
func urlConfig(raw string, transport rtsp.Transport) player.Config {
	return player.Config{Name: urlName(raw), URL: raw, Transport: transport}
}

// urlName names a camera given by URL by its host and path as redact.URL
// shows them: never by its user, password, query or path-style
// credentials, as the name goes into logs and the names of its folder and
// files.
func urlName(raw string) string {
	shown := redact.URL(raw)
	if u, err := url.Parse(shown); err == nil && u.Host != "" && u.User == nil {
		return u.Host + u.Path
	}
	// What does not parse is cut as text: the scheme, anything up to the
	// last @ (a userinfo, or too much), and the query and fragment.
	name := shown
	if i := strings.Index(name, "://"); i >= 0 {
		name = name[i+3:]
	}
	if i := strings.LastIndexByte(name, '@'); i >= 0 {
		name = name[i+1:]
	}
	if i := strings.IndexAny(name, "?#"); i >= 0 {
		name = name[:i]
	}
	return name
}

// named matches the configured camera called name, by the rule under which
// storage.Config.Validate keeps names unique: ignoring case and surrounding
// space.
func named(name string) func(storage.Camera) bool {
	return func(c storage.Camera) bool {
		return strings.EqualFold(strings.TrimSpace(name), strings.TrimSpace(c.Name))
	}
}
