// Package locale makes Fyne read a C or POSIX locale as English. Importing
// it, blank, is all it takes: its init sets LANGUAGE=en for this process
// when the locale for messages is C or POSIX with a codeset or modifier
// (C.UTF-8, which cron, SSH and systemd often set), which Fyne otherwise
// turns into the language tag "C" and rejects with "Fyne error: Error
// parsing user locale C" on stderr at start-up, in every process that
// links Fyne, headless sub-commands included.
//
// The init must run before Fyne's lang package's, which reads the locale
// (through github.com/jeandeaual/go-locale) as it initializes. Go
// initializes packages in import-path order among those whose imports are
// done; this one imports only os and strings, as go-locale does, and
// "github.com/camwall/..." sorts before "github.com/jeandeaual/...", so
// this package's init runs first. An import of anything more could break
// that: TestHeadlessSubCommandsPrintNothingFromFyne in the root package
// notices.
package locale

import (
	"os"
	"strings"
)

func init() {
	if untranslated(os.Getenv) {
		// C means untranslated, which is English. go-locale reads LANGUAGE
		// whenever the locale is not exactly C or POSIX; gettext ignores it
		// under a C locale, so no other program's messages change. Setenv
		// fails only on a malformed name, which "LANGUAGE" is not.
		_ = os.Setenv("LANGUAGE", "en")
	}
}

// untranslated reports whether the locale for messages is C or POSIX, with
// or without a codeset (".UTF-8") or modifier ("@euro"). It is the first
// of LC_ALL, LC_MESSAGES and LANG that is set and not empty, by POSIX's
// precedence, which go-locale follows too; with none set there is nothing
// for Fyne to misread.
func untranslated(getenv func(string) string) bool {
	for _, name := range [...]string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if l := getenv(name); l != "" {
			l, _, _ = strings.Cut(l, "@")
			l, _, _ = strings.Cut(l, ".")
			return l == "C" || l == "POSIX"
		}
	}
	return false
}
