package rtspserver

import (
	"errors"
	"strings"
	"testing"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/gortsplib/v4/pkg/liberrors"
)

// client connects to the server at rawURL's host; it is closed when the
// test ends.
func client(t *testing.T, rawURL string) (*gortsplib.Client, *base.URL) {
	t.Helper()
	u, err := base.ParseURL(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	c := &gortsplib.Client{Scheme: u.Scheme, Host: u.Host}
	if err := c.Start2(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c, u
}

func statusOf(err error) base.StatusCode {
	var bad liberrors.ErrClientBadStatusCode
	if errors.As(err, &bad) {
		return bad.Code
	}
	return 0
}

// The demo cameras: demo/1 … demo/N play H.264, nothing else is there, and
// no one can publish into the server.
func TestDemoServesItsStreamsAndTakesNoPublisher(t *testing.T) {
	d := &Demo{Streams: 2}
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if !strings.HasPrefix(d.Address(), "127.0.0.1:") {
		t.Errorf("listens on %s, want loopback", d.Address())
	}
	for i := 1; i <= 2; i++ {
		c, u := client(t, d.URL(i))
		desc, _, err := c.Describe(u)
		if err != nil {
			t.Fatalf("DESCRIBE %s: %v", d.URL(i), err)
		}
		if len(desc.Medias) != 1 || len(desc.Medias[0].Formats) != 1 {
			t.Fatalf("%s: %d medias, want one H.264 video", d.URL(i), len(desc.Medias))
		}
		if f, ok := desc.Medias[0].Formats[0].(*format.H264); !ok || f.PayloadTyp != 96 || f.PacketizationMode != 1 {
			t.Errorf("%s: format %#v, want H.264, payload type 96, packetization mode 1", d.URL(i), desc.Medias[0].Formats[0])
		}
	}
	for _, path := range []string{"demo/0", "demo/3", "nope"} {
		c, u := client(t, "rtsp://"+d.Address()+"/"+path)
		if _, _, err := c.Describe(u); statusOf(err) != base.StatusNotFound {
			t.Errorf("DESCRIBE %s: %v, want 404", path, err)
		}
	}

	c, u := client(t, "rtsp://"+d.Address()+"/mine")
	res, err := c.Options(u)
	if err != nil {
		t.Fatal(err)
	}
	if public := strings.Join(res.Header["Public"], ","); strings.Contains(public, "ANNOUNCE") || strings.Contains(public, "RECORD") {
		t.Errorf("OPTIONS offers %q, want no ANNOUNCE or RECORD", public)
	}
	desc := &description.Session{Medias: []*description.Media{{
		Type: description.MediaTypeVideo, Formats: []format.Format{h264()},
	}}}
	if _, err := c.Announce(u, desc); statusOf(err) != base.StatusNotImplemented {
		t.Errorf("ANNOUNCE: %v, want 501", err)
	}
}

// A test's server takes publishers as a camera's RTSP server would not, but
// as `ffmpeg -f rtsp` needs.
func TestServerTakesPublishers(t *testing.T) {
	s := &Server{}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, u := client(t, s.URL("cam"))
	res, err := c.Options(u)
	if err != nil {
		t.Fatal(err)
	}
	if public := strings.Join(res.Header["Public"], ","); !strings.Contains(public, "ANNOUNCE") || !strings.Contains(public, "RECORD") {
		t.Errorf("OPTIONS offers %q, want ANNOUNCE and RECORD", public)
	}
}
