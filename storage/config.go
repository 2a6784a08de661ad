package storage

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

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

	// Kiosk starts the wall full screen with no menu, toolbar or status
	// bar (--kiosk).
	Kiosk bool `yaml:"kiosk,omitempty"`
	// Metrics is the address /metrics and /healthz are served on
	// (--metrics), e.g. 127.0.0.1:9464; empty serves nothing.
	Metrics string `yaml:"metrics,omitempty"`
	// HWAccel is how every camera decodes unless it says otherwise
	// (HWAccelModes): "" and "off" in software.
	HWAccel string `yaml:"hwaccel,omitempty"`
	// Layouts are the wall's named arrangements (keys 1–9, View menu);
	// without any, the wall is the Grid of every camera.
	Layouts []Layout `yaml:"layouts,omitempty"`
	// Tour rotates the layouts (or pages) on a timer.
	Tour Tour `yaml:"tour,omitempty"`
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
	HWAccel     string `yaml:"hwaccel,omitempty"`      // "" (Config.HWAccel) or one of HWAccelModes
}

// HWAccelModes are the values hwaccel takes, globally and per camera: off
// decodes in software; auto on the GPU where the platform has a decoder for
// the stream (VAAPI, then CUDA on Linux; D3D11VA on Windows; VideoToolbox on
// macOS), else in software; the others ask for one kind, and decode in
// software where it cannot. (decoder.HWAccelModes, which storage does not
// import; a test in player keeps them equal.)
var HWAccelModes = []string{"auto", "off", "vaapi", "cuda", "d3d11va", "videotoolbox"}

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
    # hwaccel: off # this camera only: auto, off, vaapi, cuda, d3d11va or videotoolbox

  - name: garage
    # rtsps is RTSP over TLS; the fingerprint pins the camera's self-signed
    # certificate (its SHA-256, as shown by the camera or by openssl).
    url: rtsps://192.168.1.21:322/stream1
    user: viewer
    password: change-me
    fingerprint: BE:37:BB:8F:5C:3D:3E:EB:21:9C:FC:2D:D8:89:11:A8:01:98:C9:4B:E0:1C:8B:CF:A2:5F:85:8A:39:B6:A7:99

# Hardware decoding: off (the default) decodes every camera in software; auto
# decodes on the GPU where it can (VAAPI or NVIDIA's CUDA on Linux, D3D11VA on
# Windows, VideoToolbox on macOS) and in software where it cannot; vaapi, cuda,
# d3d11va or videotoolbox ask for one. A camera's own hwaccel overrides this;
# "camwall probe --hwaccel auto URL" says which decoder runs, and why.
# Uncomment to use:
# hwaccel: auto

# For a wall that runs unattended: kiosk starts it full screen, without menu,
# toolbar or status bar (as --kiosk does), and metrics serves /metrics and
# /healthz at an address (as --metrics does; 127.0.0.1 keeps them to this
# machine, :9464 offers them to the network). Uncomment to use:
# kiosk: true
# metrics: 127.0.0.1:9464

# Layouts are named arrangements of the wall, at most 9, chosen with the keys
# 1 to 9 or the View menu. A preset's cells are filled by the cameras listed,
# largest cell first: 1, 2x2, 3x3, 4x4, 1+5, 1+7, 2+8 or 1+12 (one large cell
# and 5 small ones, and so on). Otherwise a layout is a grid of rows and
# columns (1 to 8 each) with tiles placed on it: a tile's row and col are its
# top-left cell, counted from 0, and rows and cols how many it spans (1 when
# left out). A camera appears at most once in a layout. Uncomment to use:
# layouts:
#   - name: overview
#     preset: 1+5
#     cameras: [front door, garage]
#   - name: front door large
#     rows: 2
#     columns: 3
#     tiles:
#       - {camera: front door, row: 0, col: 0, rows: 2, cols: 2}
#       - {camera: garage, row: 0, col: 2}

# A tour shows the layouts in turn, each for every (5s to 24h): those listed
# (at least 2), or every layout when none are listed, or, without layouts,
# the pages of a camera list longer than the grid. Uncomment to use:
# tour:
#   every: 30s
#   layouts: [overview, front door large]

# Recordings ("camwall record") are MP4 files of the camera's own stream, in
# {camera}/{camera}_{timestamp}.mp4 under camwall's folder of your Videos
# folder, a new file every 5 minutes, readable by you only. To change that,
# uncomment what you need:
# recording:
#   dir: ~/Videos/camwall
#   segment: 5m       # 10s to 24h
#   max_age: 30d      # delete a camera's recordings older than this
#   max_size: 100GB   # and its oldest while they take more than this
#   group_readable: false # true: your group may read them too
#   prune_unconfigured: false # true: max_age and max_size also prune the
#                             # folders of cameras renamed or removed

# Snapshots (a tile's camera button or S, every tile with Ctrl+Shift+S, and
# "camwall snapshot") are JPEGs in camwall's folder of your Pictures folder,
# readable by you only. To change that, uncomment what you need:
# snapshots:
#   dir: ~/Pictures/camwall
#   # {camera} is the camera's name made safe for a file name; {timestamp} is
#   # the frame's time in UTC to the millisecond, e.g. 20261122T223501.123Z.
#   pattern: "{camera}/{camera}_{timestamp}.jpg"
#   format: jpeg # or png
#   quality: 90  # JPEG quality, 1 to 100
#   group_readable: false # true: your group may read them too
`

// MaxCameras is the most cameras one wall shows: the largest grid, 8×8.
// Past it tiles are too small to see anything in, and one machine decodes
// no more (a 64-camera wall is what BenchmarkWindow measures); a larger
// site runs a second wall, with a configuration of its own.
const MaxCameras = maxGridSide * maxGridSide

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
	topKeys    = []string{"grid", "cameras", "snapshots", "recording", "kiosk", "metrics", "hwaccel", "layouts", "tour"}
	gridKeys   = []string{"rows", "columns"}
	cameraKeys = []string{"name", "url", "substream", "transport", "user", "password", "password_env", "fingerprint", "hwaccel"}
	layoutKeys = []string{"name", "preset", "cameras", "rows", "columns", "tiles"}
	tileKeys   = []string{"camera", "row", "col", "rows", "cols"}
	tourKeys   = []string{"every", "layouts"}
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
	case "hwaccel":
		return &c.HWAccel
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
	// The folder is private too, and an edited dotfile stays where its link
	// leads.
	how := AtomicWrite{Perm: 0o600, ExactPerm: true, DirPerm: 0o700, ThroughLink: true}
	if _, err := WriteFileAtomic(path, data, how); err != nil {
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
	return a.Grid == b.Grid && slices.Equal(a.Cameras, b.Cameras) && a.Snapshots == b.Snapshots && a.Recording == b.Recording &&
		a.Kiosk == b.Kiosk && a.Metrics == b.Metrics && a.HWAccel == b.HWAccel && slices.EqualFunc(a.Layouts, b.Layouts, sameLayout) &&
		a.Tour.Every == b.Tour.Every && slices.Equal(a.Tour.Layouts, b.Tour.Layouts)
}

func sameLayout(a, b Layout) bool {
	return a.Name == b.Name && a.Preset == b.Preset && slices.Equal(a.Cameras, b.Cameras) &&
		a.Rows == b.Rows && a.Columns == b.Columns && slices.Equal(a.Tiles, b.Tiles)
}
