//go:build linux

package perf

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// windowReport is BenchmarkWindow's result.
type windowReport struct {
	Date   time.Time
	Window time.Duration
	CPUs   int
	OS     string
	Rows   []windowRow
}

type windowRow struct {
	Case    windowCase
	Relay   string // "mediamtx" when the cameras were read through it
	Rects   []rect
	Camwall phase
	FFplay  *phase
	// Floor is the bare Fyne program with the same tiles (app/barewall).
	Floor *phase
}

func (r windowRow) ffplaySummary() string {
	if r.FFplay == nil {
		return "not run"
	}
	return fmt.Sprintf("%.1f fps (min %.1f)", r.FFplay.Screen.mean(), r.FFplay.Screen.min())
}

// name is the wall's, with the relay it was read through.
func (r windowRow) name() string {
	if r.Relay != "" {
		return r.Case.Name + ", through " + r.Relay
	}
	return r.Case.Name
}

// tileSize is the tiles' picture size, e.g. "284×160".
func (r windowRow) tileSize() string {
	if len(r.Rects) == 0 {
		return "—"
	}
	return fmt.Sprintf("%d×%d", r.Rects[0].W, r.Rects[0].H)
}

// windowTargets are the goals for painted pictures per tile.
var windowTargets = map[string]float64{"1": 29, "4": 29, "16": 25, "16s": 29, "64s": 15}

func (rep windowReport) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "### `BenchmarkWindow` (%s, %d CPUs, %s, %.0f s windows)\n\n", rep.Date.UTC().Format("2006-01-02 15:04 UTC"), rep.CPUs, rep.OS, rep.Window.Seconds())
	b.WriteString("Pictures per tile per second counted on the screen (x11grab at 60 Hz, MD5 of a patch of each watched tile): mean / lowest tile. " +
		"\"own\" is camwall's painted counter (`--log-stats`), mean over tiles. CPU in cores of the program alone; ms per picture = CPU time / pictures on the screen, all tiles.\n\n")
	b.WriteString("| wall | tile | camwall screen fps | own | CPU | ms/picture | ffplay screen fps | ffplay drops/s | ffplay CPU | ffplay ms/picture | camwall/ffplay ms/picture | target (fps per tile) |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range rep.Rows {
		c := r.Camwall
		n := r.Case.Cameras
		fp, fdrops, fcpu, fms, ratio := "—", "—", "—", "—", "—"
		if f := r.FFplay; f != nil {
			fp = fmt.Sprintf("%.1f / %.1f", f.Screen.mean(), f.Screen.min())
			fdrops = fmt.Sprintf("%.1f", f.Drops)
			fcpu = fmt.Sprintf("%.2f", f.CPU)
			fms = fmt.Sprintf("%.2f", f.cpuPerPicture(n))
			// Below a picture a second per tile ffplay is not a reference
			// any more: its CPU per picture is meaningless.
			if v := f.cpuPerPicture(n); v > 0 && f.Screen.mean() >= 1 {
				ratio = fmt.Sprintf("%.2f×", c.cpuPerPicture(n)/v)
			} else if f.Screen.mean() < 1 {
				fms, ratio = "—", "ffplay paints < 1 fps"
			}
		}
		target := windowTargets[r.Case.Key]
		met := "met"
		if c.Screen.min() < target {
			met = "not met"
		}
		fmt.Fprintf(&b, "| %s | %s | %.1f / %.1f | %.1f | %.2f | %.2f | %s | %s | %s | %s | %s | ≥ %.0f: %s |\n",
			r.name(), r.tileSize(), c.Screen.mean(), c.Screen.min(), c.Own.mean(), c.CPU, c.cpuPerPicture(n),
			fp, fdrops, fcpu, fms, ratio, target, met)
	}
	b.WriteString("\n")
	if slices.ContainsFunc(rep.Rows, func(r windowRow) bool { return r.Floor != nil }) {
		b.WriteString("The floor: `app/barewall`, a bare Fyne program with the same number of tiles of the same size, each a raster given a new picture 30 times a second, all in one `fyne.Do` (camwall's CPU includes receiving, decoding and scaling; the floor's only the window):\n\n")
		b.WriteString("The window's own CPU (its main thread, where Fyne draws and every `fyne.Do` runs, and Mesa's llvmpipe threads) per repaint, repaints counted as the busiest watched tile's screen fps, is what the lean repaint is judged by: it leaves out receiving and decoding.\n\n")
		b.WriteString("| wall | bare Fyne screen fps | bare Fyne CPU | bare Fyne ms/picture | camwall ms/picture | camwall/bare | bare window ms/repaint | camwall window ms/repaint | camwall/bare per repaint (target ≤ 1.25×) |\n|---|---|---|---|---|---|---|---|---|\n")
		for _, r := range rep.Rows {
			f := r.Floor
			if f == nil {
				continue
			}
			n := r.Case.Cameras
			ratio := "—"
			if v := f.cpuPerPicture(n); v > 0 {
				ratio = fmt.Sprintf("%.2f×", r.Camwall.cpuPerPicture(n)/v)
			}
			perRepaint := "—"
			if v := f.windowPerRepaint(); v > 0 {
				perRepaint = fmt.Sprintf("%.2f×", r.Camwall.windowPerRepaint()/v)
			}
			fmt.Fprintf(&b, "| %s | %.1f / %.1f | %.2f | %.2f | %.2f | %s | %.1f | %.1f | %s |\n",
				r.Case.Name, f.Screen.mean(), f.Screen.min(), f.CPU, f.cpuPerPicture(n), r.Camwall.cpuPerPicture(n), ratio,
				f.windowPerRepaint(), r.Camwall.windowPerRepaint(), perRepaint)
		}
		b.WriteString("\n")
	}
	for _, r := range rep.Rows {
		c := r.Camwall
		fmt.Fprintf(&b, "- %s: %d of %d tiles watched, screen sampled at %.0f Hz; camwall RSS %s MB, machine busy %.2f cores (server included)",
			r.Case.Name, c.Watched, r.Case.Cameras, c.SampleRate, mb(c.RSS), c.Machine)
		if f := r.FFplay; f != nil {
			fmt.Fprintf(&b, "; with ffplay %.2f cores, sampled at %.0f Hz", f.Machine, f.SampleRate)
		}
		b.WriteString("\n")
		for _, e := range c.Failures {
			fmt.Fprintf(&b, "  - camwall: %s\n", e)
		}
		if f := r.FFplay; f != nil {
			for _, e := range f.Failures {
				fmt.Fprintf(&b, "  - ffplay: %s\n", e)
			}
		}
	}
	fmt.Fprintf(&b, "\nffplay: `ffplay %s -an -noborder -left X -top Y -x W -y H URL`, one per camera.\n", strings.Join(ffplayFlags, " "))
	return b.String()
}
