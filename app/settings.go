package app

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/camwall/camwall/storage"
)

// restartHint is said beside the settings that are read only when camwall
// starts: the metrics server is bound and the window dressed once.
const restartHint = "Takes effect the next time camwall starts."

// SettingsForm is the Settings dialog: where snapshots and recordings go,
// the wall's grid, kiosk mode, the tour and the metrics address. Its
// widgets are exported so that tests can fill and tap them.
type SettingsForm struct {
	SnapshotDir, SnapshotPattern, SnapshotQuality *widget.Entry
	SnapshotFormat                                *widget.Select
	SnapshotDirButton                             *widget.Button

	RecordDir, Segment, MaxAge, MaxSize *widget.Entry
	RecordDirButton                     *widget.Button

	Rows, Columns *widget.Entry
	Kiosk         *widget.Check
	TourEvery     *widget.Entry
	// TourLayouts offers the configured layouts; none checked tours them
	// all.
	TourLayouts *widget.CheckGroup
	Metrics     *widget.Entry

	Tabs *container.AppTabs
	// Problems lists why Save refused, every problem on its own line; it
	// is hidden while there is none.
	Problems                 *widget.Label
	SaveButton, CancelButton *widget.Button

	ui     *UI
	dialog dialog.Dialog
	// base is the configuration the dialog opened on, and shows.
	base storage.Config
	// shownFormat is the format the dialog showed at first: when the file
	// left the format out and it is still the one chosen, it stays out.
	shownFormat string
}

// SettingsDialog opens the Settings dialog on the current configuration,
// or brings back the one already open.
func (u *UI) SettingsDialog() *SettingsForm {
	if !u.editable() {
		return nil
	}
	if f := u.settings; f != nil {
		f.dialog.Show()
		return f
	}
	f := &SettingsForm{ui: u, base: u.cfg}
	f.build()
	u.settings = f
	f.dialog.Show()
	return f
}

func (f *SettingsForm) build() {
	cfg := f.base
	entry := func(text, placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetText(text)
		e.SetPlaceHolder(placeholder)
		return e
	}
	number := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}

	s := cfg.Snapshots
	f.SnapshotDir = entry(s.Dir, "camwall's folder in your Pictures folder")
	f.SnapshotDirButton = widget.NewButton("Choose…", func() { f.chooseFolder(f.SnapshotDir) })
	f.SnapshotPattern = entry(s.Pattern, storage.DefaultSnapshotPattern)
	f.shownFormat = shownSnapshotFormat(s)
	f.SnapshotQuality = entry(number(s.Quality), strconv.Itoa(storage.DefaultSnapshotQuality))
	f.SnapshotFormat = widget.NewSelect([]string{storage.FormatJPEG, storage.FormatPNG}, func(format string) {
		// PNG is lossless: a quality means nothing to it.
		if format == storage.FormatPNG {
			f.SnapshotQuality.Disable()
		} else {
			f.SnapshotQuality.Enable()
		}
	})
	f.SnapshotFormat.SetSelected(f.shownFormat)

	r := cfg.Recording
	f.RecordDir = entry(r.Dir, "camwall's folder in your Videos folder")
	f.RecordDirButton = widget.NewButton("Choose…", func() { f.chooseFolder(f.RecordDir) })
	f.Segment = entry(r.Segment, "5m")
	f.MaxAge = entry(r.MaxAge, "no limit, e.g. 30d")
	f.MaxSize = entry(r.MaxSize, "no limit, e.g. 100GB")

	f.Rows = entry(number(cfg.Grid.Rows), "0")
	f.Columns = entry(number(cfg.Grid.Columns), "0")
	f.Kiosk = widget.NewCheck("Full screen, without menu, toolbar or status bar", nil)
	f.Kiosk.SetChecked(cfg.Kiosk)
	f.TourEvery = entry(cfg.Tour.Every, "off, e.g. 30s")
	f.TourLayouts = widget.NewCheckGroup(tourChoices(cfg), nil)
	f.TourLayouts.Horizontal = true
	f.TourLayouts.SetSelected(slices.Clone(cfg.Tour.Layouts))
	f.Metrics = entry(cfg.Metrics, "off, e.g. 127.0.0.1:9464")

	withButton := func(e *widget.Entry, b *widget.Button) fyne.CanvasObject {
		return container.NewBorder(nil, nil, nil, b, e)
	}
	item := func(label string, obj fyne.CanvasObject, hint string) *widget.FormItem {
		it := widget.NewFormItem(label, obj)
		it.HintText = hint
		return it
	}
	snapshots := widget.NewForm(
		item("Folder", withButton(f.SnapshotDir, f.SnapshotDirButton), "Absolute, or starting with ~/ for your home folder."),
		item("File name", f.SnapshotPattern, "{camera} and {timestamp} are replaced; / makes folders."),
		item("Format", f.SnapshotFormat, ""),
		item("JPEG quality", f.SnapshotQuality, "1 to 100; empty: 90."),
	)
	recording := widget.NewForm(
		item("Folder", withButton(f.RecordDir, f.RecordDirButton), "Absolute, or starting with ~/ for your home folder."),
		item("New file every", f.Segment, "10s to 24h; a recording already running keeps its own."),
		item("Delete after", f.MaxAge, "A camera's recordings older than this; empty: kept."),
		item("Keep at most", f.MaxSize, "Per camera, oldest deleted first; empty: no limit."),
	)
	layoutsHint := "None checked: every layout in turn."
	if len(f.TourLayouts.Options) == 0 {
		layoutsHint = "No layouts are configured: the tour shows the cameras page by page."
	}
	wall := widget.NewForm(
		item("Grid rows", f.Rows, "Rows and columns 0: the smallest square grid that holds every camera."),
		item("Grid columns", f.Columns, ""),
		item("Tour every", f.TourEvery, "Empty: no tour; 5s to 24h."),
		item("Tour layouts", f.TourLayouts, layoutsHint),
		item("Kiosk mode", f.Kiosk, restartHint),
		item("Metrics address", f.Metrics, "/metrics and /healthz; empty: off. "+restartHint),
	)
	f.Tabs = container.NewAppTabs(
		container.NewTabItem("Snapshots", snapshots),
		container.NewTabItem("Recording", recording),
		container.NewTabItem("Wall", wall),
	)

	f.Problems = widget.NewLabel("")
	f.Problems.Wrapping = fyne.TextWrapWord
	f.Problems.Importance = widget.DangerImportance
	f.Problems.Hide()
	f.SaveButton = widget.NewButton("Save", f.save)
	f.SaveButton.Importance = widget.HighImportance
	f.CancelButton = widget.NewButton("Cancel", f.close)
	buttons := container.NewHBox(layout.NewSpacer(), f.CancelButton, f.SaveButton)
	content := container.NewBorder(nil, container.NewVBox(f.Problems, buttons), nil, nil, f.Tabs)
	f.dialog = dialog.NewCustomWithoutButtons("Settings", content, f.ui.Window)
	f.dialog.Resize(fyne.NewSize(720, 0))
}

// shownSnapshotFormat is the format snapshots are written in as the
// settings stand: the one named, else the pattern's extension's, else JPEG.
func shownSnapshotFormat(s storage.SnapshotSettings) string {
	switch strings.ToLower(s.Format) {
	case storage.FormatPNG:
		return storage.FormatPNG
	case "":
		if strings.EqualFold(filepath.Ext(s.Pattern), ".png") {
			return storage.FormatPNG
		}
	}
	return storage.FormatJPEG
}

// tourChoices are the layouts the tour may visit: every configured one, in
// the configuration's order, then any the tour names that no longer
// exists, so that the user sees it and can uncheck it.
func tourChoices(cfg storage.Config) []string {
	var names []string
	for _, l := range cfg.Layouts {
		names = append(names, l.Name)
	}
	for _, n := range cfg.Tour.Layouts {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

// chooseFolder lets the user pick a folder for e.
func (f *SettingsForm) chooseFolder(e *widget.Entry) {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			f.showProblems([]string{"The folder could not be opened: " + err.Error()})
			return
		}
		if dir != nil {
			e.SetText(dir.Path())
		}
	}, f.ui.Window)
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// config is the dialog's configuration, and the problems of the fields
// that are not even numbers; storage judges the rest (Validate).
func (f *SettingsForm) config() (storage.Config, []string) {
	// What the dialog does not show (cameras, layouts, group permissions)
	// is the wall's as it is now: a camera edited meanwhile stays edited.
	cfg := f.ui.cfg
	var problems []string
	whole := func(e *widget.Entry, what string) int {
		text := strings.TrimSpace(e.Text)
		if text == "" {
			return 0
		}
		n, err := strconv.Atoi(text)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s must be a whole number, not %q", what, text))
		}
		return n
	}

	s := &cfg.Snapshots
	s.Dir = strings.TrimSpace(f.SnapshotDir.Text)
	s.Pattern = strings.TrimSpace(f.SnapshotPattern.Text)
	if format := f.SnapshotFormat.Selected; format != f.shownFormat || f.base.Snapshots.Format != "" {
		s.Format = format
	}
	// In the file a quality of 0 means the default; typed here it is a
	// mistake, and said so in the words storage uses for other numbers.
	if q := whole(f.SnapshotQuality, "snapshots: quality"); q == 0 && strings.TrimSpace(f.SnapshotQuality.Text) != "" {
		problems = append(problems, "snapshots: quality must be from 1 to 100, not 0")
	} else {
		s.Quality = q
	}

	r := &cfg.Recording
	r.Dir = strings.TrimSpace(f.RecordDir.Text)
	r.Segment = strings.TrimSpace(f.Segment.Text)
	r.MaxAge = strings.TrimSpace(f.MaxAge.Text)
	r.MaxSize = strings.TrimSpace(f.MaxSize.Text)

	cfg.Grid = storage.Grid{Rows: whole(f.Rows, "grid: rows"), Columns: whole(f.Columns, "grid: columns")}
	cfg.Kiosk = f.Kiosk.Checked
	cfg.Tour = storage.Tour{Every: strings.TrimSpace(f.TourEvery.Text), Layouts: f.tourLayouts()}
	cfg.Metrics = strings.TrimSpace(f.Metrics.Text)
	return cfg, problems
}

// tourLayouts are the checked layouts in the tour's order: those it had
// first, then the newly checked ones in the configuration's order.
func (f *SettingsForm) tourLayouts() []string {
	checked := f.TourLayouts.Selected
	var out []string
	for _, n := range f.base.Tour.Layouts {
		if slices.Contains(checked, n) && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	for _, n := range f.TourLayouts.Options {
		if slices.Contains(checked, n) && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// save checks the settings, writes them and applies them; on any problem
// it says why under the form and writes nothing.
func (f *SettingsForm) save() {
	cfg, problems := f.config()
	if len(problems) == 0 {
		if err := cfg.Validate(); err != nil {
			problems = strings.Split(err.Error(), "\n")
		}
	}
	if len(problems) > 0 {
		f.showProblems(problems)
		return
	}
	// New snapshot settings get a Snapshotter of their own, started before
	// anything is written so that its failure leaves the file as it was.
	var snaps *storage.Snapshotter
	if cfg.Snapshots != f.ui.cfg.Snapshots {
		snaps = &storage.Snapshotter{Settings: cfg.Snapshots}
		if err := snaps.Start(context.Background()); err != nil {
			f.showProblems([]string{err.Error()})
			return
		}
	}
	if !f.ui.save(cfg) {
		if snaps != nil {
			snaps.Close()
		}
		f.showProblems([]string{"The configuration file could not be written."})
		return
	}
	f.close()
	f.ui.applySettings(cfg, snaps)
}

func (f *SettingsForm) showProblems(problems []string) {
	f.Problems.SetText("Not saved:\n" + strings.Join(problems, "\n"))
	f.Problems.Show()
	// The problems name their section; the first one's tab comes forward.
	switch {
	case strings.HasPrefix(problems[0], "snapshots:"):
		f.Tabs.SelectIndex(0)
	case strings.HasPrefix(problems[0], "recording:"):
		f.Tabs.SelectIndex(1)
	case strings.HasPrefix(problems[0], "grid:"), strings.HasPrefix(problems[0], "tour"), strings.HasPrefix(problems[0], "metrics"), strings.HasPrefix(problems[0], "kiosk"):
		f.Tabs.SelectIndex(2)
	}
	f.dialog.Resize(fyne.NewSize(720, 0)) // room for the new lines
}

func (f *SettingsForm) close() {
	f.dialog.Hide()
	if f.ui.settings == f {
		f.ui.settings = nil
	}
}

// applySettings puts saved settings to work. Recording reads its settings
// each time one starts, so those need no more than the new configuration;
// new snapshot settings replace the Snapshotter, the old one finishing
// what it has queued; only a new grid or tour rebuilds the wall, and its
// cameras play on untouched either way. Kiosk mode and the metrics address
// are read at start (restartHint).
func (u *UI) applySettings(cfg storage.Config, snaps *storage.Snapshotter) {
	old := u.cfg
	if snaps != nil {
		retired := u.snaps
		u.snaps = snaps
		u.replacing.Go(retired.Close)
	}
	if cfg.Grid != old.Grid || cfg.Tour.Every != old.Tour.Every || !slices.Equal(cfg.Tour.Layouts, old.Tour.Layouts) {
		u.replace(cfg)
		return
	}
	u.cfg = cfg
}
