package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"syscall"

	"github.com/camwall/camwall/storage"
)

// Command is one sub-command as `camwall --help` lists it.
type Command struct {
	// Name is the word after camwall that selects it.
	Name string
	// Usage is its command line after "camwall ", as its own --help and
	// camwall's show it.
	Usage string
	// Summary says in one line what it does.
	Summary string
	// run runs it with the arguments after Name and returns the exit code:
	// 0 done, 1 failed, 2 a usage error.
	run func(args []string) int
}

// commands is every sub-command, in the order help lists them. Its usage
// lines are constants beside each command, so that the command's own
// --help and this table print the same line.
var commands = []Command{
	{"probe", probeUsage, `check that a camera plays live video, as the camera dialog's "Test connection" does`, probe},
	{"snapshot", snapshotUsage, "write one full-resolution picture of each camera given and print the paths", snapshotCmd},
	{"record", recordUsage, "record one camera by stream copy and print the path of each file written", recordCmd},
	{"export", exportUsage, "write one MP4 of a camera's recordings between two times, by stream copy", exportCmd},
	{"discover", discoverUsage, "look for ONVIF cameras on the network and print (--add: save) them as camera entries", discoverCmd},
	{"gopro", goproUsage, "look for GoPros on USB and print (--add: save) them as camera entries", goproCmd},
}

// Commands returns every sub-command, in the order help lists them.
func Commands() []Command { return slices.Clone(commands) }

// Run runs the sub-command name with its arguments and returns its exit
// code; ok is false when there is no sub-command of that name.
func Run(name string, args []string) (code int, ok bool) {
	i := slices.IndexFunc(commands, func(c Command) bool { return c.Name == name })
	if i < 0 {
		return 0, false
	}
	return commands[i].run(args), true
}

// flagSet is a sub-command's flags; its usage message is the command's line
// from the table, then the flags.
func flagSet(name, usage string) *flag.FlagSet {
	fl := flag.NewFlagSet(name, flag.ContinueOnError)
	fl.Usage = func() {
		fmt.Fprintln(fl.Output(), "usage: camwall "+usage)
		fl.PrintDefaults()
	}
	return fl
}

// configFlag is the --config flag of the sub-commands that read the
// configuration.
func configFlag(fl *flag.FlagSet) *string {
	return fl.String("config", "", "configuration file (default: the user's config folder, camwall/config.yaml)")
}

// start logs from level up to stderr, where a script keeps them apart from
// the results on stdout, and returns a context that SIGINT and SIGTERM end,
// so that an interrupted command still closes its sessions and files.
func start(level slog.Level) (context.Context, context.CancelFunc) {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})))
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// LoadConfig reads the configuration; a missing file is an empty one, which
// the UI creates when the first camera is added.
func LoadConfig(path string) (string, *storage.Config, error) {
	if path == "" {
		p, err := storage.DefaultConfigPath()
		if err != nil {
			return "", nil, err
		}
		path = p
	}
	cfg, err := storage.LoadConfig(path)
	if errors.Is(err, fs.ErrNotExist) {
		return path, &storage.Config{}, nil
	}
	return path, cfg, err
}
