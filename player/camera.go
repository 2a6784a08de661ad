package player

import (
	"github.com/camwall/camwall/player/source/rtsp"
	"github.com/camwall/camwall/storage"
)

// CameraConfig is the one mapping from a configured camera to a session:
// its main stream, or its substream when substream is set and it has one.
// Callers add what only they know (Dial, OnFrame, Logger), and the
// hwaccel of the configuration or the command line (Config.DefaultHWAccel)
// where the camera names none.
func CameraConfig(c storage.Camera, substream bool) (Config, error) {
	st, err := c.MainStream()
	if err == nil && substream && c.Substream != "" {
		st, err = c.SubStream()
	}
	if err != nil {
		return Config{}, err
	}
	return Config{
		Name:        c.Name,
		URL:         st.URL,
		User:        st.User,
		Password:    st.Password,
		Transport:   rtsp.Transport(c.Transport),
		Fingerprint: c.Fingerprint,
		HWAccel:     c.HWAccel,
	}, nil
}
