package soak

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/rtspserver"
)

// The server process speaks a line protocol on its standard input and
// output. It announces its cameras' URLs in one line:
//
//	CAMWALL_SOAK_URLS=rtsp://127.0.0.1:40001/cam/0 rtsp://…
//
// then takes one command a line, and answers each with "ok N" once it is
// done, or "error N why":
//
//	start N KIND [PARAM]   fault KIND begins on camera N
//	end N                  camera N's fault ends
//
// It serves until its standard input closes.

// ServerConfig is what the server process serves.
type ServerConfig struct {
	Cameras int
	// User and Pass every camera asks for.
	User, Pass string
	// Clip is what each camera sends, Alt what it sends during SPSChange.
	Clip, Alt rtspserver.Clip
	// Seed makes the server's own randomness (garbage, loss) repeatable.
	Seed   uint64
	Logger *slog.Logger
}

// camera is one camera of the server process: its own server (so that it
// can be killed alone) on fixed ports, its feed, and its faults.
type camera struct {
	path                  string
	addr, udpRTP, udpRTCP string
	user, pass            string
	log                   *slog.Logger
	faults                *rtspserver.Faults
	feed                  *rtspserver.Feed
	srv                   *rtspserver.Server
	active                Kind // the fault going on, "" for none
}

// serve starts c's server on its ports and publishes its feed. A port just
// given up by a killed server is free again at once on Linux (the listener
// sets SO_REUSEADDR), but another process may have taken it: retry a while.
func (c *camera) serve() error {
	var err error
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		srv := &rtspserver.Server{Addr: c.addr, UDPRTPAddress: c.udpRTP, UDPRTCPAddress: c.udpRTCP,
			User: c.user, Pass: c.pass, NoPublishers: true, Faults: c.faults, Logger: c.log}
		if err = srv.Start(); err == nil {
			c.srv, c.addr = srv, srv.Address()
			return c.feed.Publish(srv, c.path)
		}
		if time.Now().After(deadline) {
			return err
		}
	}
}

// Serve runs the server process: the cameras, the announcement of their
// URLs on out, and the commands read from in, until in closes.
func Serve(cfg ServerConfig, in io.Reader, out io.Writer) error {
	cams := make([]*camera, cfg.Cameras)
	for i := range cams {
		rtpAddr, rtcpAddr, err := rtspserver.FreeUDPPair()
		if err != nil {
			return err
		}
		clip := cfg.Clip
		clip.Offset = i * len(clip.AccessUnits) / cfg.Cameras
		c := &camera{
			path: fmt.Sprintf("cam/%d", i), addr: "127.0.0.1:0", udpRTP: rtpAddr, udpRTCP: rtcpAddr,
			user: cfg.User, pass: cfg.Pass, log: cfg.Logger.With("camera", i),
			faults: &rtspserver.Faults{},
			feed:   &rtspserver.Feed{Clip: clip, Alt: cfg.Alt, Seed: cfg.Seed + uint64(i), Logger: cfg.Logger},
		}
		if err := c.feed.Start(); err != nil {
			return err
		}
		defer c.feed.Stop()
		if err := c.serve(); err != nil {
			return fmt.Errorf("camera %d: %w", i, err)
		}
		defer func() { c.srv.Close() }()
		cams[i] = c
	}
	urls := make([]string, len(cams))
	for i, c := range cams {
		urls[i] = "rtsp://" + c.addr + "/" + c.path
	}
	if err := playtest.AnnounceURLs(out, urls); err != nil {
		return err
	}
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		n, err := command(cams, strings.Fields(sc.Text()))
		reply := "ok " + strconv.Itoa(n)
		if err != nil {
			reply = fmt.Sprintf("error %d %v", n, err)
		}
		if _, err := fmt.Fprintln(out, reply); err != nil {
			return err
		}
	}
	return sc.Err()
}

// command runs one command line; n is the camera it named (-1: none).
func command(cams []*camera, f []string) (n int, err error) {
	if len(f) < 2 {
		return -1, fmt.Errorf("command %q: too short", strings.Join(f, " "))
	}
	n, err = strconv.Atoi(f[1])
	if err != nil || n < 0 || n >= len(cams) {
		return -1, fmt.Errorf("command %q: no such camera", strings.Join(f, " "))
	}
	c := cams[n]
	switch {
	case f[0] == "start" && len(f) >= 3:
		if c.active != "" {
			return n, fmt.Errorf("camera %d already has fault %s", n, c.active)
		}
		param := ""
		if len(f) > 3 {
			param = f[3]
		}
		if err := c.start(Kind(f[2]), param); err != nil {
			return n, err
		}
		c.active = Kind(f[2])
	case f[0] == "end":
		if c.active == "" {
			return n, fmt.Errorf("camera %d has no fault", n)
		}
		err := c.end(c.active)
		c.active = ""
		return n, err
	default:
		return n, fmt.Errorf("command %q not understood", strings.Join(f, " "))
	}
	return n, nil
}
