package gopro

import (
	"net"
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		name, url string
		want      Target
		err       string
	}{
		{"a USB camera needs only its address", "gopro://172.25.190.51",
			Target{Host: "172.25.190.51", HTTPPort: 8080, Mode: ModeWebcam, UDPPort: 8554, Res: -1, FOV: -1, USB: true, KeepAlivePort: 8554, RTSPPort: 554}, ""},
		{"a Wi-Fi camera is not driven as USB", "gopro://10.5.5.9",
			Target{Host: "10.5.5.9", HTTPPort: 8080, Mode: ModeWebcam, UDPPort: 8554, Res: -1, FOV: -1, KeepAlivePort: 8554, RTSPPort: 554}, ""},
		{"webcam settings in words", "gopro://172.25.190.51?port=8556&res=720p&fov=linear",
			Target{Host: "172.25.190.51", HTTPPort: 8080, Mode: ModeWebcam, UDPPort: 8556, Res: 7, FOV: 4, USB: true, KeepAlivePort: 8554, RTSPPort: 554}, ""},
		{"usb can be forced for a simulator", "gopro://127.0.0.1:9000?usb=1",
			Target{Host: "127.0.0.1", HTTPPort: 9000, Mode: ModeWebcam, UDPPort: 8554, Res: -1, FOV: -1, USB: true, KeepAlivePort: 8554, RTSPPort: 554}, ""},
		{"preview mode", "gopro://10.5.5.9?mode=preview&port=8600",
			Target{Host: "10.5.5.9", HTTPPort: 8080, Mode: ModePreview, UDPPort: 8600, Res: -1, FOV: -1, KeepAlivePort: 8554, RTSPPort: 554}, ""},
		{"legacy cameras answer on port 80", "gopro://10.5.5.9?mode=legacy",
			Target{Host: "10.5.5.9", HTTPPort: 80, Mode: ModeLegacy, UDPPort: 8554, Res: -1, FOV: -1, KeepAlivePort: 8554, RTSPPort: 554}, ""},
		{"legacy keep-alive port for a simulator", "gopro://127.0.0.1:8081?mode=legacy&port=9001&keepalive=9002",
			Target{Host: "127.0.0.1", HTTPPort: 8081, Mode: ModeLegacy, UDPPort: 9001, Res: -1, FOV: -1, KeepAlivePort: 9002, RTSPPort: 554}, ""},
		{"webcam over RTSP", "gopro://172.25.190.51?protocol=rtsp",
			Target{Host: "172.25.190.51", HTTPPort: 8080, Mode: ModeWebcam, UDPPort: 8554, Res: -1, FOV: -1, USB: true, KeepAlivePort: 8554,
				RTSP: true, RTSPPort: 554}, ""},
		{"RTSP port for a simulator", "gopro://127.0.0.1:9000?protocol=RTSP&rtsp=9554",
			Target{Host: "127.0.0.1", HTTPPort: 9000, Mode: ModeWebcam, UDPPort: 8554, Res: -1, FOV: -1, KeepAlivePort: 8554,
				RTSP: true, RTSPPort: 9554}, ""},
		{"RTSP is for webcam mode only", "gopro://10.5.5.9?mode=preview&protocol=rtsp", Target{}, "webcam-mode option"},
		{"unknown protocol", "gopro://10.5.5.9?protocol=srt", Target{}, `protocol "srt" is not ts or rtsp`},
		{"no host", "gopro://", Target{}, "want gopro://CAMERA-ADDRESS"},
		{"another scheme", "rtsp://10.5.5.9", Target{}, "want gopro://CAMERA-ADDRESS"},
		{"unknown mode", "gopro://10.5.5.9?mode=live", Target{}, `mode "live" is not webcam, preview or legacy`},
		{"unknown parameter", "gopro://10.5.5.9?resolution=1080", Target{}, `unknown parameter "resolution"`},
		{"bad resolution", "gopro://10.5.5.9?res=4k", Target{}, `res "4k" is not 480, 720 or 1080`},
		{"bad field of view", "gopro://10.5.5.9?fov=fisheye", Target{}, `fov "fisheye" is not wide`},
		{"port out of range", "gopro://10.5.5.9?port=70000", Target{}, `port "70000" is not a number from 1 to 65535`},
		{"bad HTTP port", "gopro://10.5.5.9:0", Target{}, `HTTP port "0"`},
		{"legacy over USB cannot be", "gopro://172.25.190.51?mode=legacy", Target{}, "Wi-Fi only"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseURL(tc.url)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want it to contain %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestCandidates(t *testing.T) {
	cidr := func(s string) net.Addr {
		ip, n, err := net.ParseCIDR(s)
		if err != nil {
			t.Fatal(err)
		}
		n.IP = ip
		return n
	}
	tests := []struct {
		name  string
		addrs []net.Addr
		want  []string
	}{
		{"no GoPro network", []net.Addr{cidr("127.0.0.1/8"), cidr("192.168.1.20/24"), cidr("::1/128")}, nil},
		{"a USB network gives its .51", []net.Addr{cidr("172.25.190.50/24")}, []string{"172.25.190.51"}},
		{"docker and other private networks are not GoPros", []net.Addr{cidr("172.17.0.1/16"), cidr("172.20.0.1/16"),
			cidr("172.30.150.1/24"), cidr("172.19.150.1/24"), cidr("10.5.5.100/24")}, nil},
		{"two cameras, one entry each", []net.Addr{cidr("172.20.123.50/24"), cidr("172.20.123.52/24"), cidr("172.29.199.50/24")},
			[]string{"172.20.123.51", "172.29.199.51"}},
		{"the camera's own address is not a host side", []net.Addr{cidr("172.25.190.51/24")}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Candidates(tc.addrs)
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFoundNamesTheCameraBySerial(t *testing.T) {
	f := Found{Address: "172.25.190.51", Serial: "590"}
	if f.Name() != "GoPro 590" {
		t.Errorf("name %q", f.Name())
	}
	if got := f.URL(8554); got != "gopro://172.25.190.51" {
		t.Errorf("default port URL %q", got)
	}
	if got := f.URL(8556); got != "gopro://172.25.190.51?port=8556" {
		t.Errorf("URL %q", got)
	}
	if _, err := ParseURL(f.URL(8556)); err != nil {
		t.Errorf("a found camera's URL does not parse: %v", err)
	}
}

func TestFreeUDPPortGivesEachGoProItsOwnPort(t *testing.T) {
	tests := []struct {
		name string
		urls []string
		want int
	}{
		{"the first GoPro gets the default", []string{"rtsp://10.0.0.1/x"}, 8554},
		{"the next one the next port", []string{"gopro://172.25.190.51"}, 8555},
		{"a gap is reused", []string{"gopro://172.25.190.51", "gopro://172.26.100.51?port=8556"}, 8555},
		{"non-GoPro URLs do not count", []string{"udp://@:8554"}, 8554},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := FreeUDPPort(tc.urls); got != tc.want {
				t.Errorf("got %d, want %d", got, tc.want)
			}
		})
	}
}

func TestConfiguredFindsAGoProByAddress(t *testing.T) {
	urls := []string{"rtsp://172.25.190.51/x", "gopro://172.26.100.51?port=8555", "not a URL %"}
	tests := []struct {
		addr string
		want bool
	}{
		{"172.26.100.51", true},
		{"172.25.190.51", false}, // an RTSP camera at that address is not a GoPro entry
		{"10.5.5.9", false},
	}
	for _, tc := range tests {
		if got := Configured(urls, tc.addr); got != tc.want {
			t.Errorf("Configured(%s) = %v, want %v", tc.addr, got, tc.want)
		}
	}
}
