package soak

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// logCounter is the slog handler of the run's sessions (and, for FFmpeg's
// lines, the default logger): it counts the lines each camera logs, at
// Info and up (what a wall logs) and at Debug, against the fault that camera
// is in, and checks that no line holds the cameras' password. It keeps
// counts and a few examples, never the whole log.
type logCounter struct {
	st    *logState
	attrs []slog.Attr // from WithAttrs
	cam   string      // the "camera" attribute, once known
}

type logState struct {
	mu       sync.Mutex
	secret   string
	cams     map[string]int // camera name -> index
	active   map[int]*record
	panicked int
	leaked   []string // lines that held the secret (redacted)
	// outside counts the Info-and-up lines of cameras in no fault, and
	// unattributed those with no camera at all (FFmpeg's own, the
	// library's), by message.
	outside      map[string]int
	unattributed map[string]int
	examples     []string
	// drops are the first warnings of cameras in no fault: a session that
	// ended with nothing wrong at the camera.
	drops []string
}

func newLogState(secret string, cams map[string]int) *logState {
	return &logState{secret: secret, cams: cams, active: map[int]*record{},
		outside: map[string]int{}, unattributed: map[string]int{}}
}

func (h *logCounter) Enabled(context.Context, slog.Level) bool { return true }

func (h *logCounter) WithAttrs(as []slog.Attr) slog.Handler {
	c := &logCounter{st: h.st, attrs: append(h.attrs[:len(h.attrs):len(h.attrs)], as...), cam: h.cam}
	for _, a := range as {
		if a.Key == "camera" {
			c.cam = a.Value.String()
		}
	}
	return c
}

func (h *logCounter) WithGroup(string) slog.Handler { return h }

func (h *logCounter) Handle(_ context.Context, r slog.Record) error {
	cam := h.cam
	var b strings.Builder
	b.WriteString(r.Message)
	add := func(a slog.Attr) bool {
		if a.Key == "camera" {
			cam = a.Value.String()
		}
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
		return true
	}
	for _, a := range h.attrs {
		add(a)
	}
	r.Attrs(add)
	line := b.String()

	st := h.st
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.secret != "" && strings.Contains(line, st.secret) {
		st.leaked = append(st.leaked, strings.ReplaceAll(line, st.secret, "<the password>"))
	}
	if strings.Contains(r.Message, "panicked") {
		st.panicked++
		if len(st.examples) < 20 {
			st.examples = append(st.examples, r.Level.String()+" "+line[:min(len(line), 300)])
		}
	}
	info := r.Level >= slog.LevelInfo
	i, known := st.cams[cam]
	switch rec := st.active[i]; {
	case !known:
		if info {
			st.unattributed[r.Message]++
		}
	case rec != nil:
		if info {
			rec.lines++
			if len(rec.messages) < 32 {
				rec.messages = append(rec.messages, r.Message)
			}
		} else {
			rec.debugLines++
		}
	case info:
		st.outside[r.Message]++
		if r.Level >= slog.LevelWarn && len(st.drops) < 20 {
			st.drops = append(st.drops, time.Now().Format("15:04:05.000")+" "+line[:min(len(line), 400)])
		}
	}
	return nil
}

// attribute counts camera i's lines against rec from now on; nil: against
// no fault.
func (st *logState) attribute(i int, rec *record) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if rec == nil {
		delete(st.active, i)
	} else {
		st.active[i] = rec
	}
}
