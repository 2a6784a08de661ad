//go:build linux

package soak

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// Report is what a run measured.
type Report struct {
	Seed    uint64
	Options Options
	Records []*record
	// Baseline is the process's usage after the warm-up, Final at the end,
	// both with every camera live and no fault going on.
	Baseline *usage
	Final    usage
	// WarmedUp is when the baseline was taken, from the first fault.
	WarmedUp time.Duration
	// NotLive are the cameras that showed no new picture at the end.
	NotLive []string
	// ServerAlive: the server process was still running at the end.
	ServerAlive bool
	// Errors the run met (a command the server refused, a camera that did
	// not come back).
	Errors []string
	// Panicked counts the log lines that reported a panic, PanicLines the
	// first of them.
	Panicked   int
	PanicLines []string
	// Leaked are log lines that held the cameras' password (redacted).
	Leaked []string
	// Outside counts the Info-and-up lines of cameras in no fault, and
	// Unattributed those that named no camera, by message.
	Outside, Unattributed map[string]int
	// Drops are the first warnings of cameras in no fault: a session that
	// ended by itself, or FFmpeg's summary of repeats of a message (the
	// limiter's, logged once the fault that caused them is over).
	Drops []string
}

// Limits are what Check holds a run to.
type Limits struct {
	// Recovery bounds the time from a fault's end to its camera's next
	// picture; for a 401, from the session's next try after the end, since
	// a refused password is retried on a slow ladder on purpose (see
	// judgedFromTry).
	Recovery time.Duration
	// RSSGrowth bounds the growth of resident memory from the baseline to
	// the end, as a fraction (of what Go and C hold under the race
	// detector: memoryGrowth).
	RSSGrowth float64
	// MemorySlack is growth in bytes that passes whatever its fraction:
	// what buffers sized by the streams (gortsplib's, the decoders' frame
	// pools, the tiles' spare pictures) still add after a short run's
	// baseline. Zero for a long run, whose baseline comes after them.
	MemorySlack float64
	// Goroutines and Files are how many more the end may hold than the
	// baseline.
	Goroutines, Files int
	// Lines bounds the Info-and-up lines a camera logs for one fault.
	Lines int
}

// judgedFromTry are the faults whose recovery is measured from the
// session's next try after the fault's end: a refused password waits the
// authentication backoff (5 s at first) before the next try, by design,
// so that a camera does not lock the account.
var judgedFromTry = map[Kind]bool{Answer401: true}

// kindStats are the figures of one kind of fault.
type kindStats struct {
	kind             Kind
	n, failed        int
	fromEnd, fromTry []time.Duration
	lines, debug     int // the most of one fault
}

func (r *Report) byKind() []*kindStats {
	m := map[Kind]*kindStats{}
	for _, rec := range r.Records {
		k := m[rec.fault.kind]
		if k == nil {
			k = &kindStats{kind: rec.fault.kind}
			m[rec.fault.kind] = k
		}
		k.n++
		if rec.recovered.IsZero() {
			k.failed++
			continue
		}
		k.fromEnd = append(k.fromEnd, rec.fromEnd())
		k.fromTry = append(k.fromTry, rec.fromTry())
		k.lines, k.debug = max(k.lines, rec.lines), max(k.debug, rec.debugLines)
	}
	var out []*kindStats
	for _, sp := range specs {
		if k := m[sp.kind]; k != nil {
			slices.Sort(k.fromEnd)
			slices.Sort(k.fromTry)
			out = append(out, k)
		}
	}
	return out
}

// percentile is the nearest-rank q-quantile of sorted d.
func percentile(d []time.Duration, q float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	return d[max(0, int(math.Ceil(q*float64(len(d))))-1)]
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f", d.Seconds()) }

// Table is the report as Markdown, for BENCHMARKS.md.
func (r *Report) Table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "| fault | count | live again after the end (s): p50 | p99 | max | after the next try (s): p50 | p99 | max | log lines, info+ (most per fault) | debug |\n")
	fmt.Fprintf(&b, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	var all []time.Duration
	for _, k := range r.byKind() {
		fmt.Fprintf(&b, "| %s | %d", k.kind, k.n)
		if k.failed > 0 {
			fmt.Fprintf(&b, " (%d not back)", k.failed)
		}
		for _, d := range [][]time.Duration{k.fromEnd, k.fromTry} {
			fmt.Fprintf(&b, " | %s | %s | %s", secs(percentile(d, 0.5)), secs(percentile(d, 0.99)), secs(percentile(d, 1)))
		}
		fmt.Fprintf(&b, " | %d | %d |\n", k.lines, k.debug)
		if judgedFromTry[k.kind] {
			all = append(all, k.fromTry...)
		} else {
			all = append(all, k.fromEnd...)
		}
	}
	slices.Sort(all)
	fmt.Fprintf(&b, "| **all** (401 from the next try) | %d | %s | %s | %s | | | | | |\n", len(r.Records),
		secs(percentile(all, 0.5)), secs(percentile(all, 0.99)), secs(percentile(all, 1)))
	return b.String()
}

// Summary is the report in words: the seed, usage, panics and log lines.
func (r *Report) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "seed %d (SOAK_SEED=%d replays the same faults), %d cameras, %v of faults, baseline after %v\n",
		r.Seed, r.Seed, r.Options.Cameras, r.Options.Duration, r.WarmedUp.Round(time.Second))
	if r.Baseline != nil {
		g, what := r.memoryGrowth()
		fmt.Fprintf(&b, "baseline: %s\nend:      %s\ngrowth of %s %+.1f %%, goroutines %+d, open files %+d\n",
			r.Baseline, r.Final, what, 100*g, r.Final.Goroutines-r.Baseline.Goroutines, r.Final.Files-r.Baseline.Files)
	}
	fmt.Fprintf(&b, "panics contained and logged: %d; server process alive at the end: %v\n", r.Panicked, r.ServerAlive)
	for _, l := range r.PanicLines {
		fmt.Fprintf(&b, "  %s\n", l)
	}
	fmt.Fprintf(&b, "info+ lines outside faults: %s\ninfo+ lines naming no camera: %s\n", counts(r.Outside), counts(r.Unattributed))
	if len(r.Drops) > 0 {
		fmt.Fprintf(&b, "warnings of cameras in no fault: sessions that ended by themselves, or FFmpeg's late summaries of repeats (the first %d):\n", len(r.Drops))
		for _, d := range r.Drops {
			fmt.Fprintf(&b, "  %s\n", d)
		}
	}
	fmt.Fprintf(&b, "slowest recoveries:\n")
	recs := slices.Clone(r.Records)
	slices.SortFunc(recs, func(a, b *record) int { return cmp.Compare(b.judged(), a.judged()) })
	for _, rec := range recs[:min(5, len(recs))] {
		fmt.Fprintf(&b, "  %s\n", rec)
	}
	return b.String()
}

// judged is the recovery time Check holds to its limit; a camera that did
// not come back counts as the longest.
func (r *record) judged() time.Duration {
	switch {
	case r.recovered.IsZero():
		return math.MaxInt64
	case judgedFromTry[r.fault.kind]:
		return r.fromTry()
	default:
		return r.fromEnd()
	}
}

// String is the record in one line, for a report or a failure.
func (r *record) String() string {
	back := "not back"
	if !r.recovered.IsZero() {
		back = fmt.Sprintf("live again %s s after the end (%s s after the next try)", secs(r.fromEnd()), secs(r.fromTry()))
	}
	param := ""
	if r.fault.param != "" {
		param = " " + r.fault.param
	}
	return fmt.Sprintf("cam%02d %s%s for %s s, ended %s: %s; the tile said %q", r.cam, r.fault.kind, param,
		secs(r.fault.dur), r.end.Format("15:04:05.000"), back, slices.Sorted(maps.Keys(r.reasons)))
}

func counts(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%q ×%d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

// memoryGrowth is the growth of memory from the baseline to the end, as a
// fraction, and what was measured: resident memory, or under the race
// detector (make test) what Go and the C allocator hold, since the
// detector's own resident memory grows with every address the run touches.
// A leak in Go or in FFmpeg grows both.
func (r *Report) memoryGrowth() (float64, string) {
	g, _, what := r.memoryGrowthBytes()
	return g, what
}

// memoryGrowthBytes is memoryGrowth with the growth in bytes too.
func (r *Report) memoryGrowthBytes() (frac, bytes float64, what string) {
	if r.Baseline == nil {
		return 0, 0, ""
	}
	if raceDetector {
		held := func(u usage) float64 { return float64(u.GoHeld + u.CHeld) }
		if held(*r.Baseline) <= 0 {
			return 0, 0, ""
		}
		d := held(r.Final) - held(*r.Baseline)
		return d / held(*r.Baseline), d, "memory held by Go and C (the race detector's own is left out)"
	}
	if r.Baseline.RSS <= 0 {
		return 0, 0, ""
	}
	d := float64(r.Final.RSS - r.Baseline.RSS)
	return d / float64(r.Baseline.RSS), d, "RSS"
}

// Check fails t for every limit the run broke.
func (r *Report) Check(t *testing.T, l Limits) {
	t.Helper()
	for _, e := range r.Errors {
		t.Error(e)
	}
	if !r.ServerAlive {
		t.Error("the server process died during the run")
	}
	if len(r.NotLive) > 0 {
		t.Errorf("cameras not live at the end: %v", r.NotLive)
	}
	for _, l := range r.Leaked {
		t.Errorf("a log line holds the cameras' password: %s", l)
	}
	if r.Baseline == nil {
		t.Error("the run ended before its warm-up: no baseline")
	} else {
		if g, d, what := r.memoryGrowthBytes(); g >= l.RSSGrowth && d > l.MemorySlack {
			t.Errorf("%s grew by %.1f %% from the baseline (limit %.0f %%): %s -> %s", what, 100*g, 100*l.RSSGrowth, r.Baseline, r.Final)
		}
		if d := r.Final.Goroutines - r.Baseline.Goroutines; d > l.Goroutines {
			t.Errorf("%d goroutines more than the baseline's %d (allowed %d)", d, r.Baseline.Goroutines, l.Goroutines)
		}
		if d := r.Final.Files - r.Baseline.Files; d > l.Files {
			t.Errorf("%d open files more than the baseline's %d (allowed %d)", d, r.Baseline.Files, l.Files)
		}
	}
	// FFmpeg's lines name no camera unless the decoder attributes them;
	// they are held to the same bound, over all faults together.
	unattributed := 0
	for _, n := range r.Unattributed {
		unattributed += n
	}
	if limit := l.Lines * len(r.Records); unattributed > limit {
		t.Errorf("%d log lines at info and up name no camera, more than %d per fault (%d): %s", unattributed, l.Lines, limit, counts(r.Unattributed))
	}
	for _, rec := range r.Records {
		if rec.recovered.IsZero() {
			continue // an error already
		}
		if rec.judged() > l.Recovery {
			t.Errorf("recovery over %v: %s", l.Recovery, rec)
		}
		if rec.lines > l.Lines {
			t.Errorf("%d log lines at info and up (limit %d) for %s: %q", rec.lines, l.Lines, rec, rec.messages)
		}
	}
}
