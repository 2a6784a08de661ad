package cli

import (
	"context"
	"net"
	"net/url"
	"strings"

	"github.com/camwall/camwall/player"
	"github.com/camwall/camwall/storage"
)

// dialer opens the connections sessions make besides RTSP's (see
// player.Config.Dial); nil means the network as it is.
type dialer = func(ctx context.Context, network, addr string) (net.Conn, error)

// sessionConfig maps a camera to a player session; url is the one to play,
// the camera's URL resolved (its password filled in). It is app's
// sessionConfig, signature and body, so that the two can become one; every
// sub-command passes a nil dial, as each reaches its cameras over the
// network as it is.
func sessionConfig(c storage.Camera, url string, dial dialer) player.Config {
	return player.Config{
		Name:        c.Name,
		URL:         url,
		Transport:   player.Transport(c.Transport),
		Fingerprint: c.Fingerprint,
		Dial:        dial,
	}
}

// urlCamera is a camera given by URL on the command line instead of by its
// name in the configuration. It is named by host and path: never by the
// user, password or query, as its name goes into logs and file names.
func urlCamera(raw string) storage.Camera {
	c := storage.Camera{Name: raw, URL: raw}
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		c.Name = u.Host + u.Path
	}
	return c
}

// named matches the configured camera called name, by the rule under which
// storage.Config.Validate keeps names unique: ignoring case and surrounding
// space.
func named(name string) func(storage.Camera) bool {
	return func(c storage.Camera) bool {
		return strings.EqualFold(strings.TrimSpace(name), strings.TrimSpace(c.Name))
	}
}
