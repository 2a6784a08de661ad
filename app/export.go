package app

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/camwall/camwall/storage"
)

// clipLayout is how the dialog shows and reads times: local, to the second.
const clipLayout = "2006-01-02 15:04:05"

// ExportDialog cuts a clip of one camera's recordings into an MP4
// (storage.Export) off the UI goroutine, with a progress bar. Its widgets
// are exported so that tests can fill and tap them.
type ExportDialog struct {
	From, To, Out *widget.Entry
	// Recorded says what the camera has recorded, to pick from.
	Recorded     *widget.Label
	Progress     *widget.ProgressBar
	ExportButton *widget.Button
	CloseButton  *widget.Button
	Result       *widget.Label

	dir, camera string
	dialog      dialog.Dialog
	cancel      context.CancelFunc
	done        chan struct{}
	// shown is set while the dialog is on screen: Escape closes it.
	shown bool
	// listed is closed once the recordings are read; offered is the span
	// the dialog filled in, replaced by the recordings' last five minutes
	// unless the user changed it meanwhile.
	listed  chan struct{}
	offered [2]string
}

// Done is closed when the last export has shown its result.
func (d *ExportDialog) Done() <-chan struct{} { return d.done }

// ExportDialog is the export dialog last opened, nil before (for tests).
func (u *UI) Export() *ExportDialog { return u.export }

// ExportClipDialog opens the export dialog for camera i, set to its last
// five minutes of recording.
func (u *UI) ExportClipDialog(i int) {
	if i < 0 || i >= len(u.cameras) {
		return
	}
	plan, err := u.cfg.Recording.Resolved()
	if err != nil {
		u.showError("Export clip", err)
		return
	}
	name := u.cameras[i].cfg.Name
	d := &ExportDialog{dir: plan.Dir, camera: name, done: make(chan struct{}), listed: make(chan struct{})}
	close(d.done)
	end := time.Now()
	entry := func(text string) *widget.Entry {
		e := widget.NewEntry()
		e.SetText(text)
		return e
	}
	d.offered = [2]string{end.Add(-5 * time.Minute).Local().Format(clipLayout), end.Local().Format(clipLayout)}
	d.From = entry(d.offered[0])
	d.To = entry(d.offered[1])
	d.Out = entry(filepath.Join(plan.Dir, storage.SanitizeName(name)+"_clip_"+end.Local().Format("20060102-150405")+".mp4"))
	d.Recorded = widget.NewLabel("Reading what was recorded…")
	d.Recorded.Wrapping = fyne.TextWrapWord
	d.Progress = widget.NewProgressBar()
	d.Result = widget.NewLabel("")
	d.Result.Wrapping = fyne.TextWrapWord
	d.ExportButton = widget.NewButton("Export", d.start)
	d.ExportButton.Importance = widget.HighImportance
	d.CloseButton = widget.NewButton("Close", d.close)
	form := widget.NewForm(
		widget.NewFormItem("From", d.From),
		widget.NewFormItem("To", d.To),
		widget.NewFormItem("File", d.Out),
	)
	content := container.NewVBox(d.Recorded, form, d.Progress, d.Result,
		container.NewHBox(layout.NewSpacer(), d.CloseButton, d.ExportButton))
	d.dialog = dialog.NewCustomWithoutButtons("Export a clip of "+name, content, u.Window)
	d.dialog.SetOnClosed(func() {
		d.shown = false
		if d.cancel != nil {
			d.cancel()
		}
	})
	d.dialog.Resize(fyne.NewSize(640, 0))
	u.export = d
	d.dialog.Show()
	d.shown = true
	go d.list()
}

// list reads what the camera recorded off the UI goroutine (a folder of
// months of recordings is thousands of files), then offers its last five
// minutes unless the user already typed a span.
func (d *ExportDialog) list() {
	recs, _, _ := storage.Recordings(d.dir, d.camera)
	fyne.Do(func() {
		defer close(d.listed)
		d.Recorded.SetText(recordedText(recs))
		if len(recs) == 0 || d.From.Text != d.offered[0] || d.To.Text != d.offered[1] {
			return
		}
		end := recs[len(recs)-1].End
		d.offered = [2]string{end.Add(-5 * time.Minute).Local().Format(clipLayout), end.Local().Format(clipLayout)}
		d.From.SetText(d.offered[0])
		d.To.SetText(d.offered[1])
	})
}

// Listed is closed when the dialog has read what the camera recorded.
func (d *ExportDialog) Listed() <-chan struct{} { return d.listed }

// recordedText says what spans there are to export from.
func recordedText(recs []storage.Recorded) string {
	if len(recs) == 0 {
		return "Nothing recorded yet for this camera."
	}
	first, last := recs[0], recs[len(recs)-1]
	return fmt.Sprintf("Recorded: %d files, %s to %s (local time).", len(recs),
		first.Start.Local().Format(clipLayout), last.End.Local().Format(clipLayout))
}

// start runs the export on a goroutine of its own, which alone updates the
// dialog.
func (d *ExportDialog) start() {
	from, err1 := time.ParseInLocation(clipLayout, strings.TrimSpace(d.From.Text), time.Local)
	to, err2 := time.ParseInLocation(clipLayout, strings.TrimSpace(d.To.Text), time.Local)
	if err1 != nil || err2 != nil {
		d.Result.SetText("✗ Write times as " + clipLayout + ", e.g. " + time.Now().Format(clipLayout))
		return
	}
	out := strings.TrimSpace(d.Out.Text)
	ctx, cancel := context.WithCancel(context.Background())
	d.cancel = cancel
	done := make(chan struct{})
	d.done = done
	d.ExportButton.Disable()
	d.Progress.SetValue(0)
	d.Result.SetText("Exporting…")
	cfg := storage.ExportConfig{Dir: d.dir, Camera: d.camera, From: from, To: to, Out: out,
		Progress: func(done, total time.Duration) {
			if total > 0 {
				v := done.Seconds() / total.Seconds()
				fyne.Do(func() { d.Progress.SetValue(v) })
			}
		}}
	go func() {
		defer cancel()
		res, err := storage.Export(ctx, cfg)
		fyne.Do(func() {
			defer close(done)
			d.ExportButton.Enable()
			if err != nil {
				d.Result.SetText("✗ " + err.Error())
				return
			}
			d.Progress.SetValue(1)
			msg := fmt.Sprintf("✓ %s: %s from %d file(s)", res.Path, res.Length.Round(100*time.Millisecond), res.Files)
			if len(res.Gaps) > 0 {
				msg += fmt.Sprintf(", %d gap(s) without recording left out", len(res.Gaps))
			}
			if res.Cut != "" {
				msg += "; ends early: " + res.Cut
			}
			d.Result.SetText(msg)
		})
	}()
}

func (d *ExportDialog) close() {
	d.shown = false
	if d.cancel != nil {
		d.cancel()
	}
	d.dialog.Hide()
}
