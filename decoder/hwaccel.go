package decoder

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/asticode/go-astiav"
)

// The values of Config.HWAccel. "" is HWAccelOff.
const (
	HWAccelOff          = "off"
	HWAccelAuto         = "auto"
	HWAccelVAAPI        = "vaapi"
	HWAccelCUDA         = "cuda"
	HWAccelD3D11VA      = "d3d11va"
	HWAccelVideoToolbox = "videotoolbox"
)

// HWAccelModes are the values Config.HWAccel takes besides "", in the order
// messages list them.
var HWAccelModes = []string{HWAccelAuto, HWAccelOff, HWAccelVAAPI, HWAccelCUDA, HWAccelD3D11VA, HWAccelVideoToolbox}

// CheckHWAccel says whether mode is a value of Config.HWAccel.
func CheckHWAccel(mode string) error {
	if mode == "" {
		return nil
	}
	for _, m := range HWAccelModes {
		if m == mode {
			return nil
		}
	}
	return fmt.Errorf("hwaccel must be one of %s, not %q", strings.Join(HWAccelModes, ", "), mode)
}

// autoKinds are what HWAccelAuto tries, in order, on each platform: what
// its GPUs' drivers offer. On Linux VAAPI comes first: Intel and AMD GPUs
// have it, and on an NVIDIA GPU, which usually has no VA-API driver, it
// fails in a moment and CUDA follows.
func autoKinds() []string {
	switch runtime.GOOS {
	case "linux", "freebsd":
		return []string{HWAccelVAAPI, HWAccelCUDA}
	case "windows":
		return []string{HWAccelD3D11VA}
	case "darwin":
		return []string{HWAccelVideoToolbox}
	}
	return nil
}

// hwName is how a user knows each kind: CUDA's decoder is NVDEC.
func hwName(kind string) string {
	switch kind {
	case HWAccelVAAPI:
		return "VAAPI"
	case HWAccelCUDA:
		return "NVDEC"
	case HWAccelD3D11VA:
		return "D3D11VA"
	case HWAccelVideoToolbox:
		return "VideoToolbox"
	}
	return kind
}

// hwOS is the one platform a kind exists on, "" for several.
func hwOS(kind string) string {
	switch kind {
	case HWAccelD3D11VA:
		return "windows"
	case HWAccelVideoToolbox:
		return "darwin"
	}
	return ""
}

// Backend says which decoder decodes a stream, and why software when
// hardware was asked for.
type Backend struct {
	// Decoder is FFmpeg's decoder: "h264", "hevc", "mjpeg".
	Decoder string
	// Hardware is the Config.HWAccel kind decoding on the GPU ("vaapi",
	// "cuda", "d3d11va", "videotoolbox"); "" in software.
	Hardware string
	// Reason is why the stream decodes in software although hardware was
	// asked for ("no VAAPI device: /dev/dri/renderD128 missing"); "" when
	// it decodes on the GPU or software was asked for.
	Reason string
}

// HardwareName is Hardware as users know it ("VAAPI", "NVDEC"), "" in
// software.
func (b Backend) HardwareName() string { return hwName(b.Hardware) }

// String is the backend for a person: "h264 (VAAPI)", "h264 (software)",
// "h264 (software): no VAAPI device: /dev/dri/renderD128 missing".
func (b Backend) String() string {
	if b.Hardware != "" {
		return fmt.Sprintf("%s (%s)", b.Decoder, hwName(b.Hardware))
	}
	if b.Reason != "" {
		return fmt.Sprintf("%s (software): %s", b.Decoder, b.Reason)
	}
	return b.Decoder + " (software)"
}

// ErrSoftwareFallback is matched by a FallbackError.
var ErrSoftwareFallback = errors.New("hardware decoding ended, decoding in software")

// FallbackError is returned (possibly joined with another error of the same
// access unit) by the Decode call during which a stream that was decoding
// on the GPU moved to software. The stream goes on: it is not an error of
// the stream, but a change the caller shows.
type FallbackError struct {
	// Backend is the decoder's new backend, with its Reason.
	Backend Backend
	// Restarted is set when the decoder was reopened in software (the GPU
	// failed mid-stream): what follows needs a keyframe, and the caller
	// skips to the next one. Unset when FFmpeg itself chose software for a
	// stream the GPU does not decode (get_format): decoding goes on from
	// the same access unit.
	Restarted bool
	// Err is another error of the same access unit (corrupt data), or nil.
	Err error
}

func (e *FallbackError) Error() string {
	return "decoding in software: " + e.Backend.Reason
}

func (e *FallbackError) Is(target error) bool { return target == ErrSoftwareFallback }

// SimulatedHW is for tests of the fallback on machines without a GPU, such
// as CI's: the decoder runs FFmpeg's software decoder while it believes and
// reports that hardware Kind decodes (Backend says so, and the failure
// handling of a hardware decoder is armed), and after FailAfter frames it
// fails as a GPU failing mid-stream does. From there the path is the one a
// real failure takes (Decoder.fallBack: the codec context is freed and
// reopened in software, Decode returns a restarted FallbackError). What it
// does not exercise: opening a device, get_format and the copy of frames
// out of GPU memory, which need a GPU.
type SimulatedHW struct {
	Kind      string
	FailAfter int
}

// errSimulatedFailure is the failure SimulatedHW raises.
var errSimulatedFailure = errors.New("simulated hardware failure (test)")

// hwState is a decoder's hardware: its device, the surface format frames
// come in, and what get_format decided.
type hwState struct {
	kind   string
	device *astiav.HardwareDeviceContext // shared between decoders (deviceFor); nil when simulated
	format astiav.PixelFormat            // the GPU surfaces' format; PixelFormatNone when simulated
	// refused is set by get_format when FFmpeg could not decode the stream
	// on the GPU and goes on in software, with why in words.
	refused bool
	why     string
	// down are the frames pictures are copied into out of GPU memory, two
	// so that one can be written while the newest picture, kept for
	// snapshots, holds the other.
	down [2]*astiav.Frame
	sim  *SimulatedHW
	// frames counts the frames decoded, for sim.
	frames int
}

// hardware prepares the decoder's hardware of kind for codec, or says why
// there is none.
func hardware(kind string, codec *astiav.Codec, c Codec) (*hwState, string) {
	name := hwName(kind)
	if goos := hwOS(kind); goos != "" && goos != runtime.GOOS {
		return nil, fmt.Sprintf("%s is not available on %s", name, runtime.GOOS)
	}
	t := astiav.FindHardwareDeviceTypeByName(kind)
	format := astiav.PixelFormatNone
	for _, hc := range codec.HardwareConfigs() {
		if hc.HardwareDeviceType() == t && hc.MethodFlags().Has(astiav.CodecHardwareConfigMethodFlagHwDeviceCtx) {
			format = hc.PixelFormat()
			break
		}
	}
	if t == astiav.HardwareDeviceTypeNone || format == astiav.PixelFormatNone {
		return nil, fmt.Sprintf("this camwall's FFmpeg has no %s decoder for %s", name, c)
	}
	dev, why := deviceFor(kind, t)
	if dev == nil {
		return nil, why
	}
	return &hwState{kind: kind, device: dev, format: format}, ""
}

// devices are the hardware devices opened so far, one per kind for the
// whole process and shared by every decoder (FFmpeg reference-counts a
// device, and decoders on one device are what ffmpeg itself runs), and the
// reason of each kind that did not open: a missing driver does not appear
// while camwall runs, and trying again with every decoder that opens would
// only cost time.
var devices = struct {
	sync.Mutex
	open map[string]*astiav.HardwareDeviceContext
	why  map[string]string
}{open: map[string]*astiav.HardwareDeviceContext{}, why: map[string]string{}}

// deviceFor is the device of kind, or nil and why there is none.
func deviceFor(kind string, t astiav.HardwareDeviceType) (*astiav.HardwareDeviceContext, string) {
	devices.Lock()
	defer devices.Unlock()
	if d := devices.open[kind]; d != nil {
		return d, ""
	}
	if why, ok := devices.why[kind]; ok {
		return nil, why
	}
	d, why := openDevice(kind, t)
	if d == nil {
		devices.why[kind] = why
		return nil, why
	}
	devices.open[kind] = d
	return d, ""
}

// vaapiFirstNode is the render node FFmpeg's VAAPI opens first when given
// no device.
const vaapiFirstNode = "/dev/dri/renderD128"

// openDevice opens FFmpeg's default device of kind. What FFmpeg logs
// meanwhile ("Cannot load libcuda.so.1") is collected instead of logged as
// an error: a machine without a GPU is normal, and the reason says it once.
func openDevice(kind string, t astiav.HardwareDeviceType) (*astiav.HardwareDeviceContext, string) {
	name := hwName(kind)
	if kind == HWAccelVAAPI && runtime.GOOS == "linux" {
		// FFmpeg tries renderD128 to renderD135; without any there is no
		// GPU (or the container was given none), which its own messages
		// only say in words no user would read that way.
		if nodes, _ := filepath.Glob("/dev/dri/renderD*"); len(nodes) == 0 {
			return nil, "no VAAPI device: " + vaapiFirstNode + " missing"
		}
	}
	initLogging()
	var errs errorTracker
	o := &logOwner{errs: &errs}
	done := onThread(o)
	d, err := astiav.CreateHardwareDeviceContext(t, "", nil, 0)
	done()
	if err == nil {
		return d, ""
	}
	_, first, _ := errs.take()
	return nil, deviceReason(kind, name, first, err)
}

// deviceReason words a device that did not open, from FFmpeg's first
// message about it and its error.
func deviceReason(kind, name, msg string, err error) string {
	msg = strings.TrimSuffix(strings.TrimSpace(msg), ".")
	switch {
	case kind == HWAccelCUDA && strings.Contains(msg, "Cannot load libcuda"):
		// FFmpeg loads the driver at run time: no NVIDIA driver is installed.
		return "no CUDA driver: libcuda.so.1 not found (the NVIDIA driver is not installed)"
	case kind == HWAccelVAAPI && (strings.Contains(msg, "VAAPI connection") || strings.Contains(msg, "VA display")):
		node := vaapiFirstNode
		if _, serr := os.Stat(node); serr != nil {
			node = "/dev/dri"
		}
		return fmt.Sprintf("no VAAPI driver for %s: %s (install the GPU's VA-API driver)", node, msg)
	case msg != "":
		return fmt.Sprintf("%s did not start: %s", name, msg)
	}
	return fmt.Sprintf("%s did not start: %v", name, err)
}

// getFormat is FFmpeg's get_format for a decoder with hardware h: the
// GPU's surface format when FFmpeg offers it, else the software format
// (the last one offered), which FFmpeg falls back to when the GPU cannot
// decode the stream (its profile, size or format) or refused to start (no
// free decoding session). Once refused, the stream stays in software.
// It runs on the decoding goroutine, inside SendPacket.
func (d *Decoder) getFormat(h *hwState) func([]astiav.PixelFormat) astiav.PixelFormat {
	return func(pfs []astiav.PixelFormat) astiav.PixelFormat {
		if len(pfs) == 0 {
			return astiav.PixelFormatNone
		}
		if !h.refused {
			for _, pf := range pfs {
				if pf == h.format {
					return pf
				}
			}
		}
		sw := pfs[len(pfs)-1]
		if !h.refused {
			h.refused = true
			why := fmt.Sprintf("%s does not decode this stream (%s %dx%d)", hwName(h.kind), sw, d.cc.Width(), d.cc.Height())
			// What the hardware's initialization logged says which limit
			// the stream is over; it is not a corrupt access unit.
			if _, first, _ := d.errs.take(); first != "" {
				why += ": " + strings.TrimSuffix(first, ".")
			}
			h.why = why
		}
		return sw
	}
}

// download copies a frame out of GPU memory into one of h's frames, which
// the caller hands out, and carries over what Frame reports of it.
func (h *hwState) download(src *astiav.Frame) (*astiav.Frame, error) {
	var dst *astiav.Frame
	for i, f := range h.down {
		if f == nil {
			if f = astiav.AllocFrame(); f == nil {
				return nil, errors.New("out of memory")
			}
			h.down[i] = f
		}
		if f.PixelFormat() == astiav.PixelFormatNone || f.IsWritable() {
			dst = f
			break
		}
	}
	if dst == nil {
		// Both are held (a snapshot is converting one): the holder keeps
		// its reference, and this frame gets new buffers.
		dst = h.down[0]
		dst.Unref()
	}
	if dst.PixelFormat() != astiav.PixelFormatNone && (dst.Width() != src.Width() || dst.Height() != src.Height()) {
		dst.Unref() // a new size: FFmpeg allocates anew
	}
	if err := src.TransferHardwareData(dst); err != nil {
		dst.Unref()
		return nil, err
	}
	dst.SetPts(src.Pts())
	dst.SetFlags(src.Flags())
	dst.SetColorRange(src.ColorRange())
	dst.SetColorSpace(src.ColorSpace())
	return dst, nil
}

func (h *hwState) free() {
	for i, f := range h.down {
		if f != nil {
			f.Free()
			h.down[i] = nil
		}
	}
}

// hwError is a failure of the hardware itself (copying a frame out of GPU
// memory), as opposed to an error FFmpeg's decoder returned.
type hwError struct{ err error }

func (e *hwError) Error() string { return e.err.Error() }
func (e *hwError) Unwrap() error { return e.err }

// hwMarkers are words of FFmpeg's messages about a hardware decoder
// failing on a picture (h264dec's "hardware accelerator failed to decode
// picture", VAAPI's "Failed to end picture decode issue", NVDEC's
// "cuvidDecodePicture(…) failed -> CUDA_ERROR_…"), as opposed to the
// stream's own damage, which software would meet too.
var hwMarkers = []string{"hardware accelerator", "hwaccel", "decode issue", "decode context", "surface", "CUDA_ERROR", "cuvid", "VAAPI", "vaapi"}

func isHWMessage(msg string) bool {
	for _, m := range hwMarkers {
		if strings.Contains(msg, m) {
			return true
		}
	}
	return false
}
