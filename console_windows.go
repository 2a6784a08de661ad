package main

import (
	"os"
	"slices"

	"golang.org/x/sys/windows"

	"github.com/camwall/camwall/app/cli"
)

// camwall.exe is a GUI program (-H windowsgui): Windows gives it no console,
// so the wall opens no console window beside it; but then the sub-commands
// and --help, run from cmd.exe or PowerShell, would print nowhere. Before
// main runs, a command line that prints attaches to the console of the
// program that started camwall, when there is one, and writes there.
// Standard handles that are already set (output redirected to a file or a
// pipe, as scripts and the Wine tests do) are kept as they are.
//
// cmd.exe does not wait for a GUI program: its prompt comes back at once and
// the command's lines follow it. `start /wait camwall.exe probe URL` or
// PowerShell's `camwall.exe probe URL | Out-Host` wait for the exit code.
func init() {
	if len(os.Args) < 2 || !printsToConsole(os.Args[1]) {
		return
	}
	attachParentConsole()
}

// printsToConsole tells the first argument of a command line whose output
// is for a person at a console: a sub-command, or a request for help.
func printsToConsole(arg string) bool {
	if slices.Contains([]string{"-h", "-help", "--help", "help"}, arg) {
		return true
	}
	return slices.ContainsFunc(cli.Commands(), func(c cli.Command) bool { return c.Name == arg })
}

var attachConsole = windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")

// attachParentProcess is AttachConsole's "the parent's console".
const attachParentProcess = ^uintptr(0)

func attachParentConsole() {
	std := []struct {
		id   uint32
		file **os.File
		name string
	}{
		{windows.STD_OUTPUT_HANDLE, &os.Stdout, "/dev/stdout"},
		{windows.STD_ERROR_HANDLE, &os.Stderr, "/dev/stderr"},
	}
	missing := false
	for _, s := range std {
		if h, err := windows.GetStdHandle(s.id); err != nil || h == 0 || h == windows.InvalidHandle {
			missing = true
		}
	}
	if !missing {
		return
	}
	// Fails when the parent has no console (Explorer, a shortcut): then
	// there is nowhere to print, as before.
	if ok, _, _ := attachConsole.Call(attachParentProcess); ok == 0 {
		return
	}
	out, err := windows.UTF16PtrFromString("CONOUT$")
	if err != nil {
		return
	}
	for _, s := range std {
		if h, err := windows.GetStdHandle(s.id); err == nil && h != 0 && h != windows.InvalidHandle {
			continue
		}
		h, err := windows.CreateFile(out, windows.GENERIC_READ|windows.GENERIC_WRITE,
			windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE, nil, windows.OPEN_EXISTING, 0, 0)
		if err != nil {
			continue
		}
		_ = windows.SetStdHandle(s.id, h)
		*s.file = os.NewFile(uintptr(h), s.name)
	}
}
