package storage

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/camwall/camwall/player/redact"
)

// problem is one validation failure. It names the offending field rather
// than a line so that Validate works on a Config built in code, and
// ParseConfig can still point at the line.
type problem struct {
	camera int    // index in Cameras; inGrid or inSnapshots for those sections
	field  string // the key at fault; "" for the camera or the section as a whole
	msg    string
	// path, when set, locates the problem instead of camera and field: the
	// kiosk, metrics, layouts and tour settings nest lists in lists, which a
	// camera and a key cannot point into ("layouts[1].tiles[0].row").
	path string
}

// The sections a problem may be in, besides a camera.
const (
	inGrid      = -1
	inSnapshots = -2
	inRecording = -3
	inTour      = -4
)

func (c *Config) problems() []problem {
	var ps []problem
	add := func(camera int, field, format string, args ...any) {
		ps = append(ps, problem{camera: camera, field: field, msg: fmt.Sprintf(format, args...)})
	}

	g := c.Grid
	inRange := true
	for _, side := range []struct {
		key string
		n   int
	}{{"rows", g.Rows}, {"columns", g.Columns}} {
		if side.n < 0 || side.n > maxGridSide {
			add(inGrid, side.key, "grid: %s must be from 0 to %d, not %d", side.key, maxGridSide, side.n)
			inRange = false
		}
	}
	switch {
	case g.Rows == 0 && g.Columns != 0:
		add(inGrid, "rows", "grid: rows is 0 but columns is %d; set both, or neither for an automatic grid", g.Columns)
	case g.Rows != 0 && g.Columns == 0:
		add(inGrid, "columns", "grid: columns is 0 but rows is %d; set both, or neither for an automatic grid", g.Rows)
	case inRange && g.Rows > 0 && g.Rows*g.Columns < len(c.Cameras):
		add(inGrid, "", "grid: rows × columns (%d×%d = %d) must be at least the number of cameras (%d)", g.Rows, g.Columns, g.Rows*g.Columns, len(c.Cameras))
	}

	if n := len(c.Cameras); n > MaxCameras {
		add(MaxCameras, "", "%d cameras: a wall shows at most %d (an %d×%d grid); %s and the cameras after it are too many: remove some, or run a second wall with a configuration of its own",
			n, MaxCameras, maxGridSide, maxGridSide, c.Cameras[MaxCameras].label(MaxCameras))
	}
	for i, cam := range c.Cameras {
		label := cam.label(i)
		bad := map[string]bool{}
		for _, key := range cameraKeys {
			v := *cameraField(&cam, key)
			if msg := textProblem(key, v); msg != "" {
				add(i, key, "%s: %s", label, msg)
				bad[key] = true
			}
		}

		name := strings.TrimSpace(cam.Name)
		switch {
		case name == "":
			add(i, "name", "camera #%d has no name", i+1)
		case !bad["name"]:
			for j, other := range c.Cameras[:i] {
				if strings.EqualFold(strings.TrimSpace(other.Name), name) {
					add(i, "name", "%s: camera #%d already has this name (names must differ, ignoring case)", label, j+1)
					break
				}
				if strings.TrimSpace(other.Name) != "" && sameFolder(other.Name, name) {
					add(i, "name", "%s: camera #%d %s would share its folder of recordings and snapshots, %s (folder names replace characters such as / with _, ignore case and end at %d bytes); rename one",
						label, j+1, quote(strings.TrimSpace(other.Name)), quote(SanitizeName(name)), maxNameBytes)
					break
				}
			}
		}

		if cam.URL == "" {
			add(i, "url", "%s has no url", label)
		} else if !bad["url"] {
			ps = append(ps, cam.urlProblems(i, label, "url", cam.URL)...)
		}
		if cam.Substream != "" && !bad["substream"] {
			ps = append(ps, cam.urlProblems(i, label, "substream", cam.Substream)...)
		}

		switch cam.Transport {
		case "", "auto", "tcp", "udp":
		default:
			if !bad["transport"] {
				add(i, "transport", "%s: transport must be auto, tcp or udp, not %s", label, quote(cam.Transport))
			}
		}

		if err := CheckHWAccel(cam.HWAccel); err != nil && !bad["hwaccel"] {
			add(i, "hwaccel", "%s: %v", label, err)
		}

		if cam.Password != "" && cam.PasswordEnv != "" {
			add(i, "password_env", "%s: password and password_env are both set; keep one", label)
		}
		if cam.PasswordEnv != "" && !bad["password_env"] && !envName.MatchString(cam.PasswordEnv) {
			add(i, "password_env", "%s: password_env must be the name of an environment variable (letters, digits and _), not %s", label, quote(cam.PasswordEnv))
		}

		if cam.Fingerprint != "" && !bad["fingerprint"] && !validFingerprint(cam.Fingerprint) {
			add(i, "fingerprint", "%s: fingerprint must be a SHA-256 written as 64 hexadecimal digits (colons allowed), not %s", label, quote(cam.Fingerprint))
		} else if u, err := url.Parse(cam.URL); cam.Fingerprint != "" && err == nil && u.Scheme != "" && !strings.EqualFold(u.Scheme, "rtsps") {
			// A pin on a plain connection would be silently ignored: the
			// user believes the camera authenticated, and it never does.
			add(i, "fingerprint", "%s: fingerprint pins the certificate of an rtsps:// camera, and this camera's url is %s://: use rtsps:// or remove the fingerprint", label, u.Scheme)
		}
	}

	for _, p := range c.Snapshots.problems() {
		ps = append(ps, problem{camera: inSnapshots, field: p.key, msg: p.msg})
	}
	for _, p := range c.Recording.problems() {
		ps = append(ps, problem{camera: inRecording, field: p.key, msg: p.msg})
	}
	ps = append(ps, c.layoutProblems()...)
	ps = append(ps, c.tourProblems()...)
	ps = append(ps, metricsProblems(c.Metrics)...)
	if err := CheckHWAccel(c.HWAccel); err != nil {
		ps = append(ps, problem{path: "hwaccel", msg: err.Error()})
	}
	return ps
}

// CheckHWAccel holds a hwaccel value, the configuration's or a command
// line's, to HWAccelModes; "" is allowed (not said).
func CheckHWAccel(mode string) error {
	if mode == "" || slices.Contains(HWAccelModes, mode) {
		return nil
	}
	return fmt.Errorf("hwaccel must be %s, not %s", modeList(), quote(mode))
}

// modeList is HWAccelModes for a message: "auto, off, …, d3d11va or
// videotoolbox".
func modeList() string {
	n := len(HWAccelModes)
	return strings.Join(HWAccelModes[:n-1], ", ") + " or " + HWAccelModes[n-1]
}

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func validFingerprint(s string) bool {
	s = strings.ReplaceAll(s, ":", "")
	if len(s) != 64 {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return true
}

// textProblem rejects text no field can hold: a control character or line
// break is invisible on a tile and in a dialog, is never part of a name, URL
// or credential, and is most often the trailing newline of a "|" block. Invalid
// UTF-8 would be saved as base64 binary, which camwall does not read.
func textProblem(key, v string) string {
	if !utf8.ValidString(v) {
		return key + " is not valid UTF-8 text"
	}
	for _, r := range v {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			if key == "password" {
				return "password contains a control character or line break"
			}
			return fmt.Sprintf("%s contains a control character or line break (%U)", key, r)
		}
	}
	return ""
}

// urlProblems checks the URL in field (url or substream) of camera i.
func (c Camera) urlProblems(i int, label, field, raw string) []problem {
	u, err := parseURL(raw)
	if err != nil {
		return []problem{{camera: i, field: field, msg: fmt.Sprintf("%s: %s %v", label, field, err)}}
	}
	var ps []problem
	if u.User != nil {
		if u.User.Username() != "" && c.User != "" {
			ps = append(ps, problem{camera: i, field: "user", msg: fmt.Sprintf("%s: the user is given both in %s and in user; keep one", label, field)})
		}
		if _, has := u.User.Password(); has && (c.Password != "" || c.PasswordEnv != "") {
			key := c.passwordKey()
			ps = append(ps, problem{camera: i, field: key, msg: fmt.Sprintf("%s: the password is given both in %s and in %s; keep one", label, field, key)})
		}
	}
	return ps
}

// parseURL parses a camera URL. Its errors read after "url " and show the URL
// with any password redacted.
func parseURL(raw string) (*url.URL, error) {
	if err := redact.Check(raw); err != nil {
		// rtsp://viewer:77#x@host/ would connect to host "viewer", port 77.
		return nil, fmt.Errorf("%s %w", quote(redact.URL(raw)), err)
	}
	u, err := url.Parse(raw)
	if err != nil {
		// net/url quotes the part it could not parse, which may be a piece of
		// the password; say only what to check when there is a userinfo.
		detail := "check that the user and password in it are percent-encoded, or move them to user and password"
		var ue *url.Error
		if !strings.Contains(raw, "@") && errors.As(err, &ue) {
			detail = strings.TrimPrefix(ue.Err.Error(), "net/url: ")
		}
		return nil, fmt.Errorf("%s is not a valid URL: %s", quote(redact.URL(raw)), detail)
	}
	// Two kinds have no host: a file (a wall without cameras, for testing)
	// has a path, and a udp:// stream received on every address, a port.
	hostless := strings.EqualFold(u.Scheme, "file") && strings.HasPrefix(u.Path, "/") ||
		strings.EqualFold(u.Scheme, "udp") && u.Port() != ""
	if u.Scheme == "" || u.Opaque != "" || u.Hostname() == "" && !hostless {
		hint := "a URL with a scheme and a host, like rtsp://192.168.1.10:554/stream"
		if !strings.Contains(raw, "://") {
			hint = "a URL with a scheme and a host; did you mean " + quote(redact.URL("rtsp://"+raw)) + "?"
		}
		return nil, fmt.Errorf("%s must be %s", quote(redact.URL(raw)), hint)
	}
	return u, nil
}

// quote quotes a value for a message, shortened: the message must stay
// readable whatever was pasted into the file.
func quote(s string) string {
	const maxRunes = 60
	if utf8.RuneCountInString(s) > maxRunes {
		s = string([]rune(s)[:maxRunes]) + "…"
	}
	return strconv.Quote(s)
}
