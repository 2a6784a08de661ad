package player

import (
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/auth"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/rtspserver"
	"github.com/camwall/camwall/storage"
)

// A configured camera's user and password travel beside its URL, as fields,
// to the RTSP client that answers the camera's 401 with them.
func TestConfiguredCameraLogsInWithCredentialsBesideItsURL(t *testing.T) {
	srv := playtest.StartServer(t, &rtspserver.Server{User: testUser, Pass: testPass, AuthMethods: []auth.VerifyMethod{auth.VerifyMethodDigestMD5}})
	if err := srv.Loop("cam", playtest.DemoClip(t)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		cam  storage.Camera
	}{
		{"user and password keys", storage.Camera{Name: "fields", URL: srv.URL("cam"), User: testUser, Password: testPass}},
		{"credentials written in the url", storage.Camera{Name: "in url", URL: withUser(srv.URL("cam"), testUser, testPass)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := CameraConfig(tc.cam, false)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.URL != srv.URL("cam") || cfg.User != testUser || cfg.Password != testPass {
				t.Fatalf("CameraConfig = URL %q user %q: the credentials are not beside the URL", cfg.URL, cfg.User)
			}
			var logs playtest.Buffer
			cfg.Logger = logs.Logger()
			s := play(t, cfg)
			playtest.WaitFor(t, 20*time.Second, "no frame published", func() bool { return s.Frames().Published() > 0 })
			s.Close()
			checkNoPassword(t, logs.String(), s.Status().Reason, s.URL())
		})
	}
}
