package decoder

// #cgo pkg-config: libavutil
// #include "ffmpeg_log.h"
import "C"

import (
	"fmt"
	"unsafe"

	"github.com/asticode/go-astiav"
)

// setLogCallback makes FFmpeg's messages reach logMessage (ffmpeg_log.c).
func setLogCallback() { C.camwall_set_log_callback() }

// camwallLog is ffmpeg_log.c's way back: one message, with the object it is
// about (ptr; nil for none), that object's parents, and its class's name.
//
//export camwallLog
func camwallLog(ptr, parent1, parent2, parent3 unsafe.Pointer, level C.int, className, msg *C.char) {
	var about []string
	for _, p := range []unsafe.Pointer{ptr, parent1, parent2, parent3} {
		if p != nil {
			about = append(about, objectKey(p))
		}
	}
	name := ""
	if className != nil {
		name = C.GoString(className)
	}
	logMessage(about, name, astiav.LogLevel(level), C.GoString(msg))
}

// objectKey names an FFmpeg object by its address, as classKey does.
func objectKey(p unsafe.Pointer) string { return fmt.Sprintf("%p", p) }
