package cli

import (
	"net/url"
	"strings"

	"github.com/camwall/camwall/player"
	"github.com/camwall/camwall/player/source/rtsp"
	"github.com/camwall/camwall/storage"
)

// urlConfig is the session of a camera given by URL on the command line
// instead of by its name in the configuration: the URL as typed (any user
// and password in it are the session's to hide), named by host and path,
// never by the user, password or query, as its name goes into logs and
// file names. Configured cameras go through player.CameraConfig instead.
func urlConfig(raw string, transport rtsp.Transport) player.Config {
	name := raw
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		name = u.Host + u.Path
	}
	return player.Config{Name: name, URL: raw, Transport: transport}
}

// named matches the configured camera called name, by the rule under which
// storage.Config.Validate keeps names unique: ignoring case and surrounding
// space.
func named(name string) func(storage.Camera) bool {
	return func(c storage.Camera) bool {
		return strings.EqualFold(strings.TrimSpace(name), strings.TrimSpace(c.Name))
	}
}
