package storage

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Config is camwall's configuration file.
type Config struct {
	Grid    Grid     `yaml:"grid,omitempty"`
	Cameras []Camera `yaml:"cameras"`
	// Snapshots is optional: without it snapshots are JPEGs in the Pictures
	// folder (SnapshotSettings.Resolved).
	Snapshots SnapshotSettings `yaml:"snapshots,omitempty"`
	// Recording is optional: without it recordings go to the Videos folder
	// in files of five minutes (RecordSettings.Resolved).
	Recording RecordSettings `yaml:"recording,omitempty"`
}

// Grid is the shape of the wall. 0 rows and 0 columns means automatic (the
// smallest square grid). Each 0..8.
type Grid struct {
	Rows    int `yaml:"rows,omitempty"`
	Columns int `yaml:"columns,omitempty"`
}

// Camera is one camera of the wall.
type Camera struct {
	Name        string `yaml:"name"`
	URL         string `yaml:"url"`
	Substream   string `yaml:"substream,omitempty"` // optional lower-resolution URL used in the grid
	Transport   string `yaml:"transport,omitempty"` // "", "auto", "tcp", "udp"
	User        string `yaml:"user,omitempty"`
	Password    string `yaml:"password,omitempty"`
	PasswordEnv string `yaml:"password_env,omitempty"` // name of an environment variable holding the password
	Fingerprint string `yaml:"fingerprint,omitempty"`  // SHA-256 of an rtsps server certificate, hex, colons allowed
}

// ExampleConfig is a commented configuration file to start from. It is valid
// as it stands, so that a user who only edits the addresses gets a working
// wall.
const ExampleConfig = `# camwall configuration — see README.md
#
# Each camera needs a name (shown on its tile, unique) and a URL. A password
# can be written here (camwall saves this file readable by you only) or, better,
# taken from an environment variable with password_env.

# Without a grid section the wall uses the smallest square grid that holds
# every camera. To fix its shape, uncomment (rows and columns: 1 to 8 each):
# grid:
#   rows: 2
#   columns: 3

cameras:
  - name: front door
    url: rtsp://192.168.1.20:554/Streaming/Channels/101
    # Optional lower-resolution stream, used while the camera is a grid tile.
    substream: rtsp://192.168.1.20:554/Streaming/Channels/102
    transport: tcp # auto (the default), tcp or udp
    user: admin
    password_env: CAMWALL_FRONT_DOOR_PASSWORD

  - name: garage
    # rtsps is RTSP over TLS; the fingerprint pins the camera's self-signed
    # certificate (its SHA-256, as shown by the camera or by openssl).
    url: rtsps://192.168.1.21:322/stream1
    user: viewer
    password: change-me
    fingerprint: BE:37:BB:8F:5C:3D:3E:EB:21:9C:FC:2D:D8:89:11:A8:01:98:C9:4B:E0:1C:8B:CF:A2:5F:85:8A:39:B6:A7:99

# Recordings ("camwall record") are MP4 files of the camera's own stream, in
# {camera}/{camera}_{timestamp}.mp4 under camwall's folder of your Videos
# folder, a new file every 5 minutes. To change that, uncomment what you need:
# recording:
#   dir: ~/Videos/camwall
#   segment: 5m       # 10s to 24h
#   max_age: 30d      # delete a camera's recordings older than this
#   max_size: 100GB   # and its oldest while they take more than this

# Snapshots (a tile's camera button or S, every tile with Ctrl+Shift+S, and
# "camwall snapshot") are JPEGs in camwall's folder of your Pictures folder.
# To change that, uncomment what you need:
# snapshots:
#   dir: ~/Pictures/camwall
#   # {camera} is the camera's name made safe for a file name; {timestamp} is
#   # the frame's time in UTC to the millisecond, e.g. 20261122T223501.123Z.
#   pattern: "{camera}/{camera}_{timestamp}.jpg"
#   format: jpeg # or png
#   quality: 90  # JPEG quality, 1 to 100
`

const (
	header = "# camwall configuration — see README.md\n"

	maxGridSide = 8

	// A configuration file is a few kilobytes; a larger one is almost surely
	// the wrong file, and refusing it keeps a typo in a path from loading a
	// video into memory.
	maxConfigSize = 1 << 20
)

// The keys each mapping accepts, in the order SaveConfig writes them. A test
// keeps these in step with the struct tags.
var (
	topKeys    = []string{"grid", "cameras", "snapshots", "recording"}
	gridKeys   = []string{"rows", "columns"}
	cameraKeys = []string{"name", "url", "substream", "transport", "user", "password", "password_env", "fingerprint"}
)

// cameraField maps a camera key to its field.
func cameraField(c *Camera, key string) *string {
	switch key {
	case "name":
		return &c.Name
	case "url":
		return &c.URL
	case "substream":
		return &c.Substream
	case "transport":
		return &c.Transport
	case "user":
		return &c.User
	case "password":
		return &c.Password
	case "password_env":
		return &c.PasswordEnv
	case "fingerprint":
		return &c.Fingerprint
	}
	return nil
}

// DefaultConfigPath is where camwall keeps its configuration file when none
// is named: config.yaml in camwall's folder of the user's configuration
// directory.
func DefaultConfigPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the configuration directory: %w", err)
	}
	return filepath.Join(dir, "camwall", "config.yaml"), nil
}

// LoadConfig reads, strictly parses and validates the configuration file at
// path. Errors reading the file wrap the os error (errors.Is(err,
// fs.ErrNotExist) tells a missing file); errors in its content start with
// "path:LINE: ".
func LoadConfig(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load config %s: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxConfigSize+1))
	if err != nil {
		return nil, fmt.Errorf("load config %s: %w", path, err)
	}
	if len(data) > maxConfigSize {
		return nil, fmt.Errorf("load config %s: the file is larger than %d KiB, too large for a configuration file; is this the right file?", path, maxConfigSize>>10)
	}
	return ParseConfig(path, data)
}

// ParseConfig is LoadConfig for a file already read; name is the file name
// used in messages. Every error line starts with "name:LINE: "; when there are
// several problems the error has one line per problem, in file order.
func ParseConfig(name string, data []byte) (*Config, error) {
	doc, err := parseYAML(name, data)
	if err != nil {
		return nil, err
	}
	d := decoder{name: name}
	c := d.config(doc)
	if len(d.errs) == 0 {
		// Validation runs only on a fully decoded file: on a partial one it
		// would add confusing follow-on errors (a camera "without a name"
		// whose name was a list).
		for _, p := range c.problems() {
			d.errs = append(d.errs, lineError{d.lay.line(p), p.msg})
		}
	}
	if len(d.errs) > 0 {
		return nil, d.err()
	}
	return c, nil
}

// Validate reports every problem of the configuration, one per line, in the
// words ParseConfig uses but without file positions.
func (c *Config) Validate() error {
	if c == nil {
		return errors.New("no configuration")
	}
	var errs []error
	for _, p := range c.problems() {
		errs = append(errs, errors.New(p.msg))
	}
	return errors.Join(errs...)
}

// SaveConfig validates c and writes it to path, replacing the file
// atomically so that a crash never leaves half a configuration. The file is
// readable by its owner only, since it may hold passwords. Comments of an
// existing file are not kept.
func SaveConfig(path string, c *Config) error {
	if c == nil {
		return fmt.Errorf("save config %s: no configuration", path)
	}
	if err := c.Validate(); err != nil {
		return fmt.Errorf("save config %s: %w", path, err)
	}
	data, err := c.marshal()
	if err != nil {
		return fmt.Errorf("save config %s: %w", path, err)
	}
	if err := writeFileAtomic(path, data); err != nil {
		return fmt.Errorf("save config %s: %w", path, err)
	}
	return nil
}

// marshal encodes a valid configuration as SaveConfig writes it.
func (c *Config) marshal() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(header)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(c); err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	// The YAML emitter has had round-trip bugs with unusual strings; reading
	// the result back is cheap and turns such a bug into an error instead of
	// a file that silently loads different cameras.
	back, err := ParseConfig("(new file)", buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("the encoded configuration does not read back (a camwall bug): %w", err)
	}
	if !sameConfig(back, c) {
		return nil, errors.New("the encoded configuration reads back different (a camwall bug)")
	}
	return buf.Bytes(), nil
}

func sameConfig(a, b *Config) bool {
	return a.Grid == b.Grid && slices.Equal(a.Cameras, b.Cameras) && a.Snapshots == b.Snapshots && a.Recording == b.Recording
}

// writeFileAtomic writes data to a temporary file next to path and renames it
// over path: readers see the old file or the new one, never a mix.
func writeFileAtomic(path string, data []byte) (err error) {
	// Write through a symlink (dotfiles kept in a repository) rather than
	// replace the link with a file.
	if target, err := filepath.EvalSymlinks(path); err == nil {
		path = target
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create directory: %w", err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("create temporary file: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	// CreateTemp already uses 0600; set it explicitly so the mode does not
	// depend on that detail.
	if err := f.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("set mode of %s: %w", tmp, err)
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", tmp, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("replace the file: %w", err)
	}
	// Make the rename itself durable. Best effort: the file is complete
	// either way, and Windows cannot sync a directory.
	if runtime.GOOS != "windows" {
		if d, err := os.Open(dir); err == nil {
			d.Sync()
			d.Close()
		}
	}
	return nil
}

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

// problem is one validation failure. It names the offending field rather
// than a line so that Validate works on a Config built in code, and
// ParseConfig can still point at the line.
type problem struct {
	camera int    // index in Cameras; inGrid or inSnapshots for those sections
	field  string // the key at fault; "" for the camera or the section as a whole
	msg    string
}

// The sections a problem may be in, besides a camera.
const (
	inGrid      = -1
	inSnapshots = -2
	inRecording = -3
)

func (c *Config) problems() []problem {
	var ps []problem
	add := func(camera int, field, format string, args ...any) {
		ps = append(ps, problem{camera, field, fmt.Sprintf(format, args...)})
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

		if cam.Password != "" && cam.PasswordEnv != "" {
			add(i, "password_env", "%s: password and password_env are both set; keep one", label)
		}
		if cam.PasswordEnv != "" && !bad["password_env"] && !envName.MatchString(cam.PasswordEnv) {
			add(i, "password_env", "%s: password_env must be the name of an environment variable (letters, digits and _), not %s", label, quote(cam.PasswordEnv))
		}

		if cam.Fingerprint != "" && !bad["fingerprint"] && !validFingerprint(cam.Fingerprint) {
			add(i, "fingerprint", "%s: fingerprint must be a SHA-256 written as 64 hexadecimal digits (colons allowed), not %s", label, quote(cam.Fingerprint))
		}
	}

	for _, p := range c.Snapshots.problems() {
		ps = append(ps, problem{inSnapshots, p.key, p.msg})
	}
	for _, p := range c.Recording.problems() {
		ps = append(ps, problem{inRecording, p.key, p.msg})
	}
	return ps
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
		return []problem{{i, field, fmt.Sprintf("%s: %s %v", label, field, err)}}
	}
	var ps []problem
	if u.User != nil {
		if u.User.Username() != "" && c.User != "" {
			ps = append(ps, problem{i, "user", fmt.Sprintf("%s: the user is given both in %s and in user; keep one", label, field)})
		}
		if _, has := u.User.Password(); has && (c.Password != "" || c.PasswordEnv != "") {
			key := c.passwordKey()
			ps = append(ps, problem{i, key, fmt.Sprintf("%s: the password is given both in %s and in %s; keep one", label, field, key)})
		}
	}
	return ps
}

// parseURL parses a camera URL. Its errors read after "url " and show the URL
// with any password redacted.
func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// net/url quotes the part it could not parse, which may be a piece of
		// the password; say only what to check when there is a userinfo.
		detail := "check that the user and password in it are percent-encoded, or move them to user and password"
		var ue *url.Error
		if !strings.Contains(raw, "@") && errors.As(err, &ue) {
			detail = strings.TrimPrefix(ue.Err.Error(), "net/url: ")
		}
		return nil, fmt.Errorf("%s is not a valid URL: %s", quote(redact(raw)), detail)
	}
	// Two kinds have no host: a file (a wall without cameras, for testing)
	// has a path, and a udp:// stream received on every address, a port.
	hostless := strings.EqualFold(u.Scheme, "file") && strings.HasPrefix(u.Path, "/") ||
		strings.EqualFold(u.Scheme, "udp") && u.Port() != ""
	if u.Scheme == "" || u.Opaque != "" || u.Hostname() == "" && !hostless {
		hint := "a URL with a scheme and a host, like rtsp://192.168.1.10:554/stream"
		if !strings.Contains(raw, "://") {
			hint = "a URL with a scheme and a host; did you mean " + quote(redact("rtsp://"+raw)) + "?"
		}
		return nil, fmt.Errorf("%s must be %s", quote(redact(raw)), hint)
	}
	return u, nil
}

// redact returns raw with the password replaced by ***, for messages.
// Unparsable URLs are cut conservatively, since a typo in a URL is exactly
// when an error shows it.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err == nil && u.Opaque == "" {
		changed := false
		if u.User != nil {
			if _, has := u.User.Password(); has {
				u.User = url.UserPassword(u.User.Username(), "***")
				changed = true
			}
		}
		if q := redactQuery(u.RawQuery); q != u.RawQuery {
			u.RawQuery = q
			changed = true
		}
		if !changed {
			return raw
		}
		// url.String escapes the stars; they are clearer as they are.
		return strings.Replace(u.String(), ":%2A%2A%2A@", ":***@", 1)
	}
	prefix, rest := "", raw
	if i := strings.Index(raw, "://"); i >= 0 {
		prefix, rest = raw[:i+3], raw[i+3:]
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return raw
	}
	userinfo := "***"
	if i := strings.IndexByte(rest[:at], ':'); i >= 0 {
		userinfo = rest[:i+1] + "***"
	}
	return prefix + userinfo + rest[at:]
}

// redactQuery hides the values of query parameters that look like secrets:
// some cameras take their credentials in the query.
func redactQuery(q string) string {
	if q == "" {
		return q
	}
	parts := strings.Split(q, "&")
	for i, p := range parts {
		k, _, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		key, err := url.QueryUnescape(k)
		if err != nil {
			key = k
		}
		key = strings.ToLower(key)
		for _, s := range []string{"pass", "pwd", "secret", "token"} {
			if strings.Contains(key, s) {
				parts[i] = k + "=***"
				break
			}
		}
	}
	return strings.Join(parts, "&")
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

// parseYAML parses data into a YAML node tree; nil for a file with no
// content.
func parseYAML(name string, data []byte) (*yaml.Node, error) {
	if line, msg := badText(data); msg != "" {
		return nil, fmt.Errorf("%s:%d: %s", name, line, msg)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return nil, nil
		}
		return nil, syntaxError(name, data, err)
	}
	for {
		var next yaml.Node
		err := dec.Decode(&next)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, syntaxError(name, data, err)
		}
		// A trailing "---" with nothing after it is harmless; a second
		// document would be silently ignored, which is never what was meant.
		if !isEmptyDocument(&next) {
			return nil, fmt.Errorf("%s:%d: the file holds more than one YAML document; remove the \"---\" line and merge them", name, max(next.Line, 1))
		}
	}
	return &doc, nil
}

func isEmptyDocument(n *yaml.Node) bool {
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return true
		}
		n = n.Content[0]
	}
	return n.Kind == 0 || isNull(n)
}

// badText finds what the YAML reader rejects without saying where: invalid
// UTF-8 and characters YAML does not allow in a file.
func badText(data []byte) (line int, msg string) {
	if bytes.HasPrefix(data, []byte{0xFE, 0xFF}) || bytes.HasPrefix(data, []byte{0xFF, 0xFE}) {
		// yaml.v3 reads UTF-16, but every line number here counts UTF-8
		// lines, and camwall writes UTF-8 anyway.
		return 1, "the file is UTF-16 text; save it as UTF-8"
	}
	line = 1
	for i := 0; i < len(data); {
		if n := lineBreak(data, i); n > 0 {
			line++
			i += n
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return line, "the file is not UTF-8 text; save it as UTF-8"
		case !yamlPrintable(r):
			return line, fmt.Sprintf("the file contains the control character %U, which YAML does not allow", r)
		}
		i += size
	}
	return 0, ""
}

// lineBreak is the length of the line break at data[i], 0 if there is none.
// It counts lines as yaml.v3 does, so that lines found here agree with the
// lines of its nodes: CR LF, CR, LF, and the Unicode NEL, LS and PS.
func lineBreak(data []byte, i int) int {
	switch {
	case data[i] == '\n':
		return 1
	case data[i] == '\r':
		if i+1 < len(data) && data[i+1] == '\n' {
			return 2
		}
		return 1
	case bytes.HasPrefix(data[i:], []byte("\u0085")):
		return 2
	case bytes.HasPrefix(data[i:], []byte("\u2028")), bytes.HasPrefix(data[i:], []byte("\u2029")):
		return 3
	}
	return 0
}

// lineEnds returns the offsets just past each line of data.
func lineEnds(data []byte) []int {
	var ends []int
	for i := 0; i < len(data); {
		if n := lineBreak(data, i); n > 0 {
			i += n
			ends = append(ends, i)
			continue
		}
		i++
	}
	if len(ends) == 0 || ends[len(ends)-1] < len(data) {
		ends = append(ends, len(data))
	}
	return ends
}

// lineAt is the 1-based line of data holding offset off.
func lineAt(data []byte, off int) int {
	line := 1
	for _, end := range lineEnds(data) {
		if off < end {
			return line
		}
		line++
	}
	return line
}

// yamlPrintable is YAML 1.2's c-printable.
func yamlPrintable(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0x7E) || r == 0x85 ||
		(r >= 0xA0 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// Problems the YAML parser (as opposed to its scanner) reports. yaml.v3
// prints their line 0-based, or not at all on the first line; scanner
// problems are 1-based.
var parserProblems = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %TAG directive":         true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

var (
	yamlLine      = regexp.MustCompile(`^line (\d+): (.*)$`)
	unknownAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)
)

// syntaxError turns a yaml.v3 parse error into "name:LINE: ...".
func syntaxError(name string, data []byte, err error) error {
	msg, line := splitYAMLError(err)
	if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		line = lineOf(data, "*"+m[1])
		msg = fmt.Sprintf("the alias *%s refers to no anchor &%s before it", m[1], m[1])
	} else {
		line = failingLine(data, msg, line)
	}
	// Errors at the end of the file ("found unexpected end of stream") point
	// past its last line; the cause is on the last line with text.
	text := bytes.TrimRightFunc(data, func(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' })
	if last := lineAt(text, len(text)-1); line > last {
		line = last
	}
	return fmt.Errorf("%s:%d: invalid YAML: %s", name, max(line, 1), msg)
}

// splitYAMLError splits a yaml.v3 syntax error into its message and the
// 1-based line it gives, 1 when it gives none.
func splitYAMLError(err error) (msg string, line int) {
	msg = strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	if parserProblems[msg] || line == 0 {
		line++
	}
	return msg, line
}

// failingLine is the first line, from line from on, at which the file cut
// after that line fails with msg. yaml.v3 gives the line where the construct
// it was reading began (a list, a quoted string), which can be well before
// the mistake; the first failing prefix is where a user should look.
func failingLine(data []byte, msg string, from int) int {
	// The search is for files with a few mistakes near each other; it gives
	// up rather than parse a huge file many times.
	const maxTries = 64
	from = max(from, 1)
	for i, end := range lineEnds(data) {
		line := i + 1
		if line < from {
			continue
		}
		if line >= from+maxTries {
			break
		}
		if err := checkSyntax(data[:end]); err != nil {
			if m, _ := splitYAMLError(err); m == msg {
				return line
			}
		}
	}
	return from
}

// checkSyntax parses every document of data, for its syntax errors only.
func checkSyntax(data []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

// lineOf is the 1-based line of the first occurrence of s in data, 0 if none.
func lineOf(data []byte, s string) int {
	i := bytes.Index(data, []byte(s))
	if i < 0 {
		return 0
	}
	return lineAt(data, i)
}

// lineError is one problem found in a file.
type lineError struct {
	line int
	msg  string
}

// decoder builds a Config from a YAML node tree, strictly: yaml.v3's own
// decoding names Go types in its messages and quietly truncates 1.5 to an
// int, so the tree is walked here against the same keys as the struct tags.
type decoder struct {
	name string
	errs []lineError
	lay  layout
}

// layout remembers where each field was written, to put validation
// problems on their line.
type layout struct {
	grid           *yaml.Node            // the "grid" key
	gridFields     map[string]*yaml.Node // values by key
	cameras        []cameraLayout
	snapshots      *yaml.Node // the "snapshots" key
	snapshotFields map[string]*yaml.Node
	recording      *yaml.Node // the "recording" key
	recordFields   map[string]*yaml.Node
}

type cameraLayout struct {
	item   *yaml.Node            // the list item, an alias when written as one
	fields map[string]*yaml.Node // values by key
}

func (l *layout) line(p problem) int {
	var n *yaml.Node
	switch {
	case p.camera == inGrid:
		n = l.gridFields[p.field]
		if n == nil {
			n = l.grid
		}
	case p.camera == inSnapshots:
		n = l.snapshotFields[p.field]
		if n == nil {
			n = l.snapshots
		}
	case p.camera == inRecording:
		n = l.recordFields[p.field]
		if n == nil {
			n = l.recording
		}
	case p.camera >= 0 && p.camera < len(l.cameras):
		cl := l.cameras[p.camera]
		n = cl.fields[p.field]
		if n == nil {
			n = cl.item
		}
	}
	if n == nil || n.Line < 1 {
		return 1
	}
	return n.Line
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errs = append(d.errs, lineError{max(n.Line, 1), fmt.Sprintf(format, args...)})
}

func (d *decoder) err() error {
	slices.SortStableFunc(d.errs, func(a, b lineError) int { return a.line - b.line })
	errs := make([]error, len(d.errs))
	for i, e := range d.errs {
		errs[i] = fmt.Errorf("%s:%d: %s", d.name, e.line, e.msg)
	}
	return errors.Join(errs...)
}

func (d *decoder) config(doc *yaml.Node) *Config {
	c := &Config{}
	if doc == nil || doc.Kind == 0 {
		return c
	}
	n := doc
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return c
		}
		n = n.Content[0]
	}
	n = deref(n)
	if isNull(n) {
		return c // only comments: no cameras yet
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "the file must be a mapping with the keys grid and cameras, not %s", describe(n))
		return c
	}
	d.mapping(n, "at the top level", topKeys, func(key, val *yaml.Node) {
		switch key.Value {
		case "grid":
			d.lay.grid = key
			c.Grid = d.grid(val)
		case "cameras":
			c.Cameras = d.cameras(val)
		case "snapshots":
			d.lay.snapshots = key
			c.Snapshots = d.snapshotSettings(val)
		case "recording":
			d.lay.recording = key
			c.Recording = d.recordSettings(val)
		}
	})
	return c
}

func (d *decoder) grid(n *yaml.Node) Grid {
	var g Grid
	d.lay.gridFields = map[string]*yaml.Node{}
	m := deref(n)
	if isNull(m) {
		return g // a "grid:" line whose keys are commented out
	}
	if m.Kind != yaml.MappingNode {
		d.errorf(n, "grid must be a mapping with the keys rows and columns, not %s", describe(m))
		return g
	}
	d.mapping(m, "in grid", gridKeys, func(key, val *yaml.Node) {
		d.lay.gridFields[key.Value] = val
		v, ok := intValue(val)
		if !ok {
			d.errorf(val, "grid: %s must be a whole number from 0 to %d, not %s", key.Value, maxGridSide, describe(deref(val)))
			return
		}
		if key.Value == "rows" {
			g.Rows = v
		} else {
			g.Columns = v
		}
	})
	return g
}

func (d *decoder) snapshotSettings(n *yaml.Node) SnapshotSettings {
	var s SnapshotSettings
	d.lay.snapshotFields = map[string]*yaml.Node{}
	m := deref(n)
	if isNull(m) {
		return s // a "snapshots:" line whose keys are commented out
	}
	if m.Kind != yaml.MappingNode {
		d.errorf(n, "snapshots must be a mapping with keys such as dir and format, not %s", describe(m))
		return s
	}
	d.mapping(m, "in snapshots", snapshotKeys, func(key, val *yaml.Node) {
		d.lay.snapshotFields[key.Value] = val
		if key.Value == "quality" {
			v, ok := intValue(val)
			if !ok {
				d.errorf(val, "snapshots: quality must be a whole number from 1 to 100, not %s", describe(deref(val)))
			}
			s.Quality = v
			return
		}
		v, ok := textValue(val)
		if !ok {
			d.errorf(val, "snapshots: %s must be text, not %s", key.Value, describe(deref(val)))
			return
		}
		*snapshotField(&s, key.Value) = v
	})
	return s
}

func (d *decoder) recordSettings(n *yaml.Node) RecordSettings {
	var s RecordSettings
	d.lay.recordFields = map[string]*yaml.Node{}
	m := deref(n)
	if isNull(m) {
		return s // a "recording:" line whose keys are commented out
	}
	if m.Kind != yaml.MappingNode {
		d.errorf(n, "recording must be a mapping with keys such as dir and segment, not %s", describe(m))
		return s
	}
	d.mapping(m, "in recording", recordKeys, func(key, val *yaml.Node) {
		d.lay.recordFields[key.Value] = val
		v, ok := textValue(val)
		if !ok {
			d.errorf(val, "recording: %s must be text, not %s", key.Value, describe(deref(val)))
			return
		}
		*recordField(&s, key.Value) = v
	})
	return s
}

func (d *decoder) cameras(n *yaml.Node) []Camera {
	m := deref(n)
	if isNull(m) {
		return nil
	}
	if m.Kind != yaml.SequenceNode {
		d.errorf(n, "cameras must be a list, each camera starting with \"- \", not %s", describe(m))
		return nil
	}
	if len(m.Content) == 0 {
		return nil
	}
	cams := make([]Camera, len(m.Content))
	d.lay.cameras = make([]cameraLayout, len(m.Content))
	for i, item := range m.Content {
		cams[i] = d.camera(i, item)
	}
	return cams
}

func (d *decoder) camera(i int, item *yaml.Node) Camera {
	var c Camera
	cl := &d.lay.cameras[i]
	cl.item = item
	cl.fields = map[string]*yaml.Node{}
	m := deref(item)
	if isNull(m) {
		d.errorf(item, "camera #%d is empty; it needs at least a name and a url", i+1)
		return c
	}
	if m.Kind != yaml.MappingNode {
		d.errorf(item, "camera #%d must be a mapping with keys such as name and url, not %s", i+1, describe(m))
		return c
	}
	label := Camera{Name: nameIn(m)}.label(i)
	d.mapping(m, "in "+label, cameraKeys, func(key, val *yaml.Node) {
		// A camera written as an alias has its problems reported where the
		// alias is, not at the anchor: that is the camera the user means.
		if item.Kind != yaml.AliasNode {
			cl.fields[key.Value] = val
		}
		s, ok := textValue(val)
		if !ok {
			// Not describe: the value may be a password.
			d.errorf(val, "%s: %s must be text, not %s", label, key.Value, kindName(deref(val)))
			return
		}
		*cameraField(&c, key.Value) = s
	})
	return c
}

// nameIn is the camera name in mapping m, for messages about the camera.
func nameIn(m *yaml.Node) string {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := deref(m.Content[i]); k.Kind == yaml.ScalarNode && k.Value == "name" {
			if s, ok := textValue(m.Content[i+1]); ok && textProblem("name", s) == "" {
				return s
			}
		}
	}
	return ""
}

// mapping checks the keys of m (plain, known, once each) and calls f for each
// known key. where says where m is, for messages ("in grid").
func (d *decoder) mapping(m *yaml.Node, where string, known []string, f func(key, val *yaml.Node)) {
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		key, val := deref(m.Content[i]), m.Content[i+1]
		switch {
		case key.Kind != yaml.ScalarNode:
			d.errorf(key, "a key %s is %s; keys are plain words such as %s", where, describe(key), known[0])
			continue
		case key.ShortTag() == "!!merge":
			d.errorf(key, "merge keys (<<) are not supported %s; write the keys out", where)
			continue
		}
		if first := seen[key.Value]; first != nil {
			d.errorf(key, "key %s appears twice %s (first at line %d)", quote(key.Value), where, first.Line)
			continue
		}
		seen[key.Value] = key
		if !slices.Contains(known, key.Value) {
			d.errorf(key, "unknown key %s %s%s", quote(key.Value), where, suggest(key.Value, known))
			continue
		}
		f(key, val)
	}
}

// suggest proposes the known key a misspelt one was probably meant to be, or
// lists them all.
func suggest(key string, known []string) string {
	k := strings.ToLower(key)
	best, bestScore := "", 3 // edit distances above 2 suggest nothing
	for _, want := range known {
		score := editDistance(k, want)
		// Abbreviations ("cols", "pwd") and extensions ("username") are
		// further away than typos but no less clear.
		if len(k) >= 3 && k[0] == want[0] && (isSubsequence(k, want) || strings.HasPrefix(k, want)) {
			score = min(score, 1)
		}
		if score < bestScore {
			best, bestScore = want, score
		}
	}
	if best != "" {
		return "; did you mean " + strconv.Quote(best) + "?"
	}
	return " (known keys: " + strings.Join(known, ", ") + ")"
}

// isSubsequence reports whether the letters of a appear in b in order.
func isSubsequence(a, b string) bool {
	for _, r := range a {
		i := strings.IndexRune(b, r)
		if i < 0 {
			return false
		}
		b = b[i+utf8.RuneLen(r):]
	}
	return true
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// deref follows an alias to the node it names.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 16; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// textValue is the text of a scalar, taken as written: a password of 0123 or
// a name of 2024 stays what the user typed. Null is "".
func textValue(n *yaml.Node) (string, bool) {
	n = deref(n)
	if n.Kind != yaml.ScalarNode {
		return "", false
	}
	switch n.ShortTag() {
	case "!!null":
		return "", true
	case "!!str", "!!int", "!!float", "!!bool", "!!timestamp":
		return n.Value, true
	}
	return "", false
}

// intValue is the value of an integer scalar in any YAML notation; null is 0.
func intValue(n *yaml.Node) (int, bool) {
	n = deref(n)
	if isNull(n) {
		return 0, true
	}
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
		return 0, false
	}
	var v int
	if err := n.Decode(&v); err != nil {
		return 0, false
	}
	return v, true
}

// describe says what n is, quoting a scalar with any URL password redacted
// (a list of bare URLs where cameras belong is a likely mistake); never use
// it on a value that may be a password itself.
func describe(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		if isNull(n) {
			return "empty"
		}
		if s, ok := textValue(n); ok {
			return quote(redact(s))
		}
	}
	return kindName(n)
}

// kindName says what kind of YAML value n is, without its content.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if isNull(n) {
			return "empty"
		}
		return "a value tagged " + quote(n.ShortTag())
	}
	return "an alias"
}
