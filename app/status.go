package app

import (
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
)

// notifyFor is how long a message stays in the status bar.
const notifyFor = 8 * time.Second

// notify shows a short message in the status bar. UI goroutine only.
func (u *UI) notify(msg string) {
	u.notices++
	n := u.notices
	u.StatusBar.SetText(msg)
	u.showNotice(msg)
	if u.noticeTimer != nil {
		u.noticeTimer.Stop()
	}
	u.noticeTimer = time.AfterFunc(notifyFor, func() {
		fyne.Do(func() {
			if u.notices == n {
				u.StatusBar.SetText("")
				u.showNotice("")
			}
		})
	})
	// Last: a test that waits for the message may then touch the UI.
	if u.onNotify != nil {
		u.onNotify(msg)
	}
}

// stopNotices cancels a pending clear of the status bar.
func (u *UI) stopNotices() {
	if u.noticeTimer != nil {
		u.noticeTimer.Stop()
	}
}

// commonDir is the folder all paths share, for a one-line summary.
func commonDir(paths []string) string {
	if len(paths) == 0 {
		return ""
	}
	dir := filepath.Dir(paths[0])
	for _, p := range paths[1:] {
		for !strings.HasPrefix(p, dir+string(filepath.Separator)) && dir != filepath.Dir(dir) {
			dir = filepath.Dir(dir)
		}
	}
	return dir
}

// joinMax joins the first n items and says how many more there are.
func joinMax(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, "; ")
	}
	return strings.Join(items[:n], "; ") + "; and " + strconv.Itoa(len(items)-n) + " more"
}
