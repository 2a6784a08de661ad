package decoder

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/asticode/go-astiav"
)

var logOnce sync.Once

// initLogging routes FFmpeg's own messages into slog instead of stderr, so
// they carry the same format as the rest of camwall's logs. Warnings and up
// only: FFmpeg's info level is noisy and says nothing a user can act on.
//
// A message goes to the logger of the camera whose demuxer or decoder it is
// about (DemuxOptions.Log, Config.Log: the camera's logger, which scrubs its
// secrets), found by the object FFmpeg logs it with (a format or codec
// context, or anything whose parent is one) or else by the thread it is
// logged on (a demuxer's Open or Read, during which its I/O and protocol
// contexts log). What cannot be attributed, such as a UDP input's receive
// thread, goes to slog.Default(). Either way each distinct message is
// logged at most once a minute per logger (see limiter).
//
// Errors a decoder reports about the bitstream it is given ("error while
// decoding MB …") are not logged here: FFmpeg conceals them and goes on, and
// a flaky camera would fill the log at error level. They are recorded on the
// decoder instead, and Decode reports them as ErrCorrupt.
func initLogging() {
	logOnce.Do(func() {
		astiav.SetLogLevel(astiav.LogLevelWarning)
		setLogCallback()
	})
}

// logMessage logs one of FFmpeg's messages, about the objects about (the
// keys of the object it was logged with and of its parents, nearest
// first; none for a message about no object), whose class is className.
func logMessage(about []string, className string, l astiav.LogLevel, msg string) {
	msg = strings.TrimSpace(msg)
	if msg == "" {
		return
	}
	o := ownerOf(about)
	if o != nil && l <= astiav.LogLevelError && o.errs != nil {
		o.errs.add(msg)
		return
	}
	if o != nil && l <= astiav.LogLevelError {
		o.noteError(msg)
	}
	level := slog.LevelWarn
	switch {
	case l <= astiav.LogLevelError:
		level = slog.LevelError
	case strings.HasPrefix(msg, "deprecated pixel format used"):
		// swscale says this for every MJPEG camera (full-range yuvj
		// formats); it converts them correctly, as the MJPEG decoder
		// test checks, so there is nothing to act on.
		level = slog.LevelDebug
	}
	attrs := []any{}
	if className != "" {
		attrs = append(attrs, "ffmpeg", className)
	}
	log := slog.Default()
	if o != nil && o.log != nil {
		log = o.log
	}
	if !log.Enabled(context.Background(), level) {
		return
	}
	if repeats, ok := ffmpegLimiter.allow(log, msg, time.Now()); ok {
		if repeats > 0 {
			msg = fmt.Sprintf("%s (repeated %d times)", msg, repeats)
		}
		log.Log(context.Background(), level, msg, attrs...)
	}
}

// logOwner is what FFmpeg's messages about one demuxer or decoder go to.
type logOwner struct {
	log *slog.Logger // nil: slog.Default()
	// errs, for a decoder, takes its error-level messages instead of the
	// log.
	errs *errorTracker
	// lastErr is the last error-level message, for a demuxer to word its
	// failure with (a whitelist refusal says why only in the log).
	mu      sync.Mutex
	lastErr string
}

func (o *logOwner) noteError(msg string) {
	o.mu.Lock()
	o.lastErr = msg
	o.mu.Unlock()
}

// takeError returns the last error-level message and forgets it.
func (o *logOwner) takeError() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	msg := o.lastErr
	o.lastErr = ""
	return msg
}

var (
	// owners maps FFmpeg objects (classKey) to their owner.
	owners sync.Map // string -> *logOwner
	// threads maps the OS threads a demuxer is calling FFmpeg on to its
	// owner (threadID; 0 where the platform has none).
	threads sync.Map // int -> *logOwner
)

// classKey identifies the object a Class belongs to: its address, the part
// after " @ " in Class.String, as objectKey writes it.
func classKey(cl *astiav.Class) string {
	s := cl.String()
	if i := strings.LastIndex(s, " @ "); i >= 0 {
		return s[i+3:]
	}
	return s
}

// own attributes c's messages to o until disown.
func own(c astiav.Classer, o *logOwner) string {
	cl := c.Class()
	if cl == nil {
		return ""
	}
	k := classKey(cl)
	owners.Store(k, o)
	return k
}

// disown ends what own began, unless the address has been taken since by
// another object (FFmpeg frees a format context whose open failed).
func disown(key string, o *logOwner) {
	if key != "" {
		owners.CompareAndDelete(key, o)
	}
}

// ownerOf finds the owner of a message logged about the objects about: the
// object or one of its parents (a few levels: imgutils logs with its caller
// as parent), else the thread it is logged on.
func ownerOf(about []string) *logOwner {
	for _, k := range about {
		if o, ok := owners.Load(k); ok {
			return o.(*logOwner)
		}
	}
	if tid := threadID(); tid != 0 {
		if o, ok := threads.Load(tid); ok {
			return o.(*logOwner)
		}
	}
	return nil
}

// onThread attributes what FFmpeg logs on this goroutine's thread to o,
// until the returned function is called: around a blocking call into
// FFmpeg, during which the goroutine keeps its thread.
func onThread(o *logOwner) func() {
	runtime.LockOSThread()
	tid := threadID()
	if tid == 0 {
		runtime.UnlockOSThread()
		return func() {}
	}
	threads.Store(tid, o)
	return func() {
		threads.Delete(tid)
		runtime.UnlockOSThread()
	}
}

// repeatWindow is how often the same message may be logged to one logger.
var repeatWindow = time.Minute

// limiter lets each distinct message through to each logger once per
// repeatWindow, and counts the rest, so that a camera whose stream makes
// FFmpeg complain with every packet logs a line a minute, not thousands.
// Messages that differ only in their numbers (timestamps, counts, positions)
// are the same message.
type limiter struct {
	mu      sync.Mutex
	seen    map[limitKey]*limitEntry
	sweptAt time.Time
}

type limitKey struct {
	log *slog.Logger
	msg string
}

type limitEntry struct {
	at      time.Time // when it was last logged
	repeats int       // suppressed since
	last    string    // the last suppressed text, for the summary
}

var ffmpegLimiter = &limiter{seen: map[limitKey]*limitEntry{}}

// allow says whether msg may be logged to log now, and how many times it was
// suppressed since it last was.
func (l *limiter) allow(log *slog.Logger, msg string, now time.Time) (int, bool) {
	k := limitKey{log, withoutNumbers(msg)}
	l.mu.Lock()
	due := l.sweep(now)
	e := l.seen[k]
	allowed, repeats := false, 0
	switch {
	case e == nil:
		l.seen[k] = &limitEntry{at: now}
		allowed = true
	case now.Sub(e.at) >= repeatWindow:
		repeats = e.repeats
		e.at, e.repeats = now, 0
		allowed = true
	default:
		e.repeats++
		e.last = msg
	}
	l.mu.Unlock()
	for _, d := range due {
		d.log.Log(context.Background(), slog.LevelWarn, fmt.Sprintf("%s (repeated %d times)", d.msg, d.repeats))
	}
	return repeats, allowed
}

type dueSummary struct {
	log     *slog.Logger
	msg     string
	repeats int
}

// sweep forgets the messages last logged two windows ago or more (until
// then, the next one through carries the count), at most once a window, and
// returns the summaries of those that were suppressed since: a burst that
// ended still says how long it went on.
func (l *limiter) sweep(now time.Time) []dueSummary {
	if now.Sub(l.sweptAt) < repeatWindow {
		return nil
	}
	l.sweptAt = now
	var due []dueSummary
	for k, e := range l.seen {
		if now.Sub(e.at) < 2*repeatWindow {
			continue
		}
		if e.repeats > 0 {
			due = append(due, dueSummary{k.log, e.last, e.repeats})
		}
		delete(l.seen, k)
	}
	return due
}

// withoutNumbers replaces every run of digits in msg with "#".
func withoutNumbers(msg string) string {
	var b strings.Builder
	digits := false
	for _, r := range msg {
		if r >= '0' && r <= '9' {
			if !digits {
				b.WriteByte('#')
			}
			digits = true
			continue
		}
		digits = false
		b.WriteRune(r)
	}
	return b.String()
}

// errorTracker collects the errors FFmpeg reports while one access unit is
// decoded. FFmpeg may call the log callback from its slice threads, hence the
// lock.
type errorTracker struct {
	mu    sync.Mutex
	count int
	first string
	// tooLarge is the message of a picture over the decoder's max_pixels.
	tooLarge string
	// hw is the first message about a hardware decoder failing (isHWMessage).
	hw string
}

func (t *errorTracker) add(msg string) {
	t.mu.Lock()
	if strings.Contains(msg, "exceeds specified max pixel count") {
		t.tooLarge = msg
	}
	if t.count == 0 {
		t.first = msg
	}
	if t.hw == "" && isHWMessage(msg) {
		t.hw = msg
	}
	t.count++
	t.mu.Unlock()
}

// take returns what was collected since the last call and resets it.
func (t *errorTracker) take() (int, string, string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n, first, large := t.count, t.first, t.tooLarge
	t.count, t.first, t.tooLarge, t.hw = 0, "", "", ""
	return n, first, large
}

// hardware is the first message about a hardware decoder failing since the
// last take, or "".
func (t *errorTracker) hardware() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.hw
}
